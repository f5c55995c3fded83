package dev.jpb;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;

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
     * Closes the connection: pending calls fail with {@link ConnectionLostException}, both
     * reference tables are dropped. Idempotent.
     */
    void close();
}
