package dev.jpb;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One link between two brokers. Thread-safe.
 */
public interface Connection {
    /** {@return an id unique among the connections of this JVM} */
    long id();

    /** {@return the address of the peer} */
    SocketAddress remoteAddress();

    /** {@return whether the connection is still usable} */
    boolean isOpen();

    /** {@return how many of our objects the peer currently holds references to, root included} */
    int exportedObjectCount();

    /** {@return how many live {@link RemoteReference}s we hold to the peer's objects} */
    int importedReferenceCount();

    /** {@return a future completed once the connection is closed and its tables dropped} */
    CompletableFuture<Void> closeFuture();

    /**
     * Returns whether the peer keeps up with what this end sends: false once more than {@link
     * Limits#maxQueuedOutboundBytes()} wait to be written to it, and true again when half of
     * that has drained. While false, new calls fail at once with {@link
     * LimitExceededException}; a producer can pace itself with {@link #onWritabilityChanged}.
     *
     * @return whether new calls are accepted for sending
     */
    default boolean isWritable() {
        return isOpen();
    }

    /**
     * Returns how many bytes are waiting to be written to the peer (encoded, not yet taken by
     * the socket). Bounded by about {@link Limits#maxQueuedOutboundBytes()} plus one message.
     *
     * @return the queued bytes
     */
    default long queuedOutboundBytes() {
        return 0;
    }

    /**
     * Registers a listener run, off the I/O threads, each time {@link #isWritable()} changes;
     * it receives the new value. Listeners of quick successive changes may overlap: read
     * {@link #isWritable()} for the current state.
     *
     * @param listener receives the new writability
     */
    default void onWritabilityChanged(Consumer<Boolean> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
    }

    /**
     * Closes the connection: pending calls fail with {@link ConnectionLostException}, both
     * reference tables are dropped. Idempotent.
     */
    void close();
}
