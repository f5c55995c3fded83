package dev.jpb.internal.cache;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.Referenceable;
import dev.jpb.internal.codec.TypeUse;
import dev.jpb.internal.metrics.ConnectionMetrics;
import io.netty.buffer.ByteBuf;

/** What the cache code needs of its connection's broker; implemented there. */
public interface CacheLink {
    /** Returns the connection the application sees. */
    Connection connection();

    /** Returns the avatar of the session logged in on this connection now, or null. */
    Avatar avatar();

    /** Returns the avatar id of the session logged in on this connection now, or null. */
    String avatarId();

    /** Returns the connection's metrics ({@code ConnectionMetrics.NONE} when off). */
    ConnectionMetrics metrics();

    /** Returns whether the connection is open. */
    boolean isOpen();

    /** Returns whether the current thread is the connection's event loop. */
    boolean inEventLoop();

    /** Returns the copy factories of this end. */
    CacheFactories factories();

    /** Returns the most copies this end keeps per connection (maxImportedReferences). */
    int maxCopies();

    /** Counts one send of {@code object} in the export table and returns its id (loop). */
    long export(Referenceable object);

    /** Gives back one send of {@code id} (loop). */
    void unexport(long id);

    /** Queues a frame in the outbox; any thread. */
    void enqueue(CacheFrame frame);

    /**
     * As {@link #enqueue(CacheFrame)}, the drain it needs (if none is scheduled yet) left to
     * {@code drains}, which starts it with the others of its event loop; the caller's thread.
     */
    void enqueue(CacheFrame frame, DrainBatch drains);

    /** Queues receipts to give back in the outbox (DECREF, in send order); any thread. */
    void giveBack(Receipts receipts);

    /** Keeps YOURS ids findable for a frame read and not yet decoded (export table pin). */
    void pin();

    /** Ends one {@link #pin()}. */
    void unpin();

    /** Decodes {@code count} values from {@code body} (not released) on this thread. */
    Object[] decode(ByteBuf body, int count);

    /** As {@link #decode}, with a codec of its own: safe inside another decode. */
    Object[] decodeDetached(ByteBuf body, int count);

    /** Encodes {@code values} with the connection's codec session (loop). */
    void write(Output out, Object[] values);

    /** Returns the codec {@link #write} encodes with (one per end). */
    Object codec();

    /** Starts recording what the next {@link #write} names of this connection (loop). */
    void startRecording();

    /** Ends it: the named types written, or null if it wrote references or copies (loop). */
    TypeUse stopRecording();

    /** Returns whether bytes encoded with {@code use}'s type ids read the same here (loop). */
    boolean hasOutboundIds(TypeUse use);

    /** Counts a peer's protocol violation. */
    void violation(String reason);

    /** Runs application code on the executor (never the calling event loop). */
    void runUserCode(Runnable task, String what);

    /** Returns the largest frame this end accepts (maxFrameBytes). */
    int maxFrameBytes();

    /** Stops (or resumes) reading from the socket; on the event loop. */
    void pauseReads(boolean pause);

    /**
     * Returns whether no inbound work of this connection (a call, a copy's state or update) is
     * held, queued or running: work run now on the event loop keeps the order; event loop.
     */
    boolean inboundIdle();

    /**
     * Runs {@code task} (building a copy, applying an update) in the connection's inbound order,
     * with its {@code remote_} calls: behind every call that arrived before it; event loop.
     */
    void runInOrder(Runnable task);

    /** Runs {@code task} on the event loop (dropped if the loop is gone). */
    void onEventLoop(Runnable task);

    /**
     * Makes the current thread serve inbound work of this connection ({@code
     * CallContext.current()}); returns what to hand {@link #exitCall} afterwards.
     */
    Object enterCall();

    /** Ends {@link #enterCall}: puts back what the thread served before. */
    void exitCall(Object previous);
}
