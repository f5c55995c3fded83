package dev.jpb.internal.metrics;

import io.netty.util.AttributeKey;

/**
 * The time of a connection's current socket read: one {@link System#nanoTime()} shared by
 * every call and answer decoded from the bytes of one read, taken on first use only (so never
 * with metrics off). With a window of pipelined calls one read brings many frames: their calls
 * start, and their answers arrive, at the time of the read instead of one clock read each.
 * Each read starts afresh ({@link #socketRead}, from {@link ByteCounter}, first in the
 * pipeline with metrics on; and at the latest at the end of Netty's read loop, {@link
 * #readComplete}). Outside a read (a call the in-flight gate held, started later) {@link
 * #now()} reads the clock. Confined to the connection's event loop.
 */
public final class ReadTime {
    /** The channel attribute under which a broker's read time reaches {@link ByteCounter}. */
    public static final AttributeKey<ReadTime> KEY = AttributeKey.valueOf("jpb.readTime");

    private boolean reading; // frames of a read are being handled (guarded by the event loop)
    private boolean taken; // nanos holds the current read's time (guarded by the event loop)
    private long nanos; // guarded by the event loop

    /** Bytes came from the socket: the next {@link #now()} reads the clock again. */
    void socketRead() {
        taken = false;
    }

    /** A frame of the current read is handed to the broker (each frame of it). */
    public void frameRead() {
        reading = true;
    }

    /** Netty's read loop ended ({@code channelReadComplete}). */
    public void readComplete() {
        reading = false;
        taken = false;
    }

    /** Returns the current read's time, read on first use; outside a read, the clock's. */
    public long now() {
        if (!reading) {
            return System.nanoTime();
        }
        if (!taken) {
            nanos = System.nanoTime();
            taken = true;
        }
        return nanos;
    }
}
