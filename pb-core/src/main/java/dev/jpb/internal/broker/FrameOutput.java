package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The outbox's output for one message body at a time: a Kryo {@link Output} over a reused heap
 * buffer, which, once {@link #spillTo allowed}, sends a byte array of {@value #SPILL_BYTES}
 * bytes or more straight into the frame's pooled I/O buffer (after the bytes written before
 * it), instead of into the heap buffer and from there into the frame: a large payload is
 * copied once on its way to the socket, as a hand-written Netty encoder copies it. Small
 * messages never spill, and are copied into their frame as before ({@link Outbox}).
 *
 * <p>While spilling, {@link #position()} is the position in the heap buffer only, and the
 * bytes before it are in the frame: only writes may follow until {@link #takeFrame} or
 * {@link #restart}. The body's limit ({@code maxFrameBytes}) counts both parts, and breaking
 * it fails as a full heap buffer does ("Buffer overflow"). Confined to one event loop.
 */
final class FrameOutput extends Output {
    /** The fewest bytes of an array written straight into the frame. */
    static final int SPILL_BYTES = 1024;
    private static final int TAIL_BYTES = 64; // room after a spilled array: what may follow

    private int maxBody; // the body's limit, from start
    private ByteBufAllocator alloc; // non-null: large arrays may spill
    private ByteBuf frame; // length placeholder, then the body's first bytes; or null
    private int spilled; // the body's bytes in frame

    FrameOutput(int bufferSize) {
        super(bufferSize, -1);
    }

    /** Starts a body of at most {@code max} bytes; nothing spills until {@link #spillTo}. */
    void start(int max) {
        discard();
        byte[] b = buffer;
        setBuffer(b.length <= max ? b : new byte[max], max);
        maxBody = max;
        alloc = null;
    }

    /** Lets the arrays written from now on spill into a frame from {@code allocator}. */
    void spillTo(ByteBufAllocator allocator) {
        alloc = allocator;
    }

    /** Forgets the body written so far (spilled or not), to write another from the start. */
    void restart() {
        discard();
        setBuffer(buffer, maxBody);
        alloc = null;
    }

    /** Releases the frame of a body that will not be sent, if it spilled. */
    void discard() {
        if (frame != null) {
            frame.release();
            frame = null;
        }
        spilled = 0;
    }

    /** Returns whether part of the body is in a frame already ({@link #takeFrame}). */
    boolean spilled() {
        return frame != null;
    }

    /**
     * Returns the whole frame, its length and then the body, which the caller then owns; only
     * when {@link #spilled}. The output is empty afterwards.
     */
    ByteBuf takeFrame() {
        ByteBuf f = frame;
        f.writeBytes(buffer, 0, position);
        f.setInt(f.readerIndex(), spilled + position);
        frame = null;
        spilled = 0;
        position = 0;
        return f;
    }

    @Override
    public void writeBytes(byte[] bytes, int offset, int count) throws KryoException {
        if (alloc == null || count < SPILL_BYTES || bytes == null || offset < 0
                || offset > bytes.length - count) {
            super.writeBytes(bytes, offset, count);
            return;
        }
        long body = (long) spilled + position + count;
        if (body > maxBody) {
            throw new KryoBufferOverflowException("Buffer overflow. Max capacity: " + maxBody
                    + ", required: " + body);
        }
        if (frame == null) {
            frame = alloc.ioBuffer(4 + position + count + TAIL_BYTES);
            frame.writeInt(0); // the length, set by takeFrame
        }
        frame.writeBytes(buffer, 0, position);
        frame.writeBytes(bytes, offset, count);
        spilled += position + count;
        position = 0;
        // What may still follow in the heap buffer: the body's limit less the spilled bytes.
        maxCapacity = maxBody - spilled;
        capacity = Math.min(buffer.length, maxCapacity);
    }
}
