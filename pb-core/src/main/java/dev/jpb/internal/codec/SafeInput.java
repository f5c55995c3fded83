package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import dev.jpb.LimitExceededException;
import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;

/**
 * A Kryo input over one whole frame that refuses any length larger than the bytes left in the
 * frame could hold, before allocating for it: a forged length costs an error, not memory.
 *
 * <p>Each length is also <em>claimed</em>: the bytes its elements take at least are added up
 * over the frame (from {@link #setBuffer} or {@link #resetClaims} on), and a length whose
 * claim would make the total exceed the frame is refused. Elements of different lengths never
 * share their first bytes, so a real message claims at most its own bytes, while nested
 * counts each declaring the whole frame are refused at the second one: what a message makes
 * the receiver allocate stays proportional to its bytes.
 *
 * <p>A frame in a Netty {@link ByteBuf} ({@link #setFrame}) is copied whole into the input's
 * own buffer when it fits there ({@value #WINDOW_BYTES} bytes by default); a larger one is
 * read through that buffer as a window, filled from the frame as Kryo asks (at most
 * {@value #FILL_BYTES} bytes a fill), and a byte array of {@value #DIRECT_BYTES} bytes or more
 * goes straight from the frame into the array it becomes: a large payload is copied once, not
 * twice. The bounds above count the bytes left in the whole frame, not only in the window.
 */
final class SafeInput extends Input {
    /** The input's own buffer: frames up to this size are copied into it whole. */
    static final int WINDOW_BYTES = 8 * 1024;
    /** The fewest bytes of an array read past the window that are copied straight over. */
    static final int DIRECT_BYTES = 512;
    /**
     * The most bytes one fill copies from a large frame into the window: what precedes a
     * large array (its class and length) is then copied twice, not the array's first 8 KiB.
     */
    static final int FILL_BYTES = 512;

    private long claimed; // bytes claimed by the lengths read since the last reset
    private int frameBytes; // the length of the buffer's frame
    // The frame read through the window, or null (the frame is all in the buffer); the index
    // of its first byte not yet in the window, and its end. Confined to the reading thread.
    private ByteBuf source;
    private int sourceIndex;
    private int sourceEnd;
    private final int windowBytes;

    SafeInput() {
        this(WINDOW_BYTES);
    }

    /** An input whose window takes {@code windowBytes} (tests: a frame across many fills). */
    SafeInput(int windowBytes) {
        super();
        this.windowBytes = windowBytes;
    }

    @Override
    public void setBuffer(byte[] bytes, int offset, int count) {
        super.setBuffer(bytes, offset, count);
        frameBytes = count;
        claimed = 0;
        source = null;
    }

    /**
     * Reads the readable bytes of {@code frame} next (not retained: keep it until the read
     * ends, then {@link #clearFrame}); its reader index does not move.
     */
    void setFrame(ByteBuf frame) {
        int n = frame.readableBytes();
        byte[] window = buffer;
        if (window == null || window.length != windowBytes) {
            window = new byte[windowBytes];
        }
        if (n <= windowBytes) {
            frame.getBytes(frame.readerIndex(), window, 0, n);
            setBuffer(window, 0, n);
            return;
        }
        setBuffer(window, 0, 0);
        frameBytes = n;
        source = frame;
        sourceIndex = frame.readerIndex();
        sourceEnd = sourceIndex + n;
    }

    /** Lets go of the frame {@link #setFrame} gave, and of what is left to read of it. */
    void clearFrame() {
        source = null;
        position = 0;
        limit = 0;
    }

    /**
     * Makes the next {@code n} bytes (or as many as the frame has left) sit in the window, so
     * that reading them moves no byte and a reader may step back to {@link #position()}.
     */
    void buffered(int n) {
        if (source != null && limit - position < n) {
            require(Math.min(n, bytesLeft()));
        }
    }

    /** Returns the bytes of the frame not read yet (in the window and after it). */
    int bytesLeft() {
        return limit - position + (source == null ? 0 : sourceEnd - sourceIndex);
    }

    @Override
    protected int fill(byte[] buffer, int offset, int count) throws KryoException {
        if (source == null) {
            return -1; // the frame is all in the buffer
        }
        if (count == 0) {
            return 0; // a full window (Kryo then moves what is left to its start)
        }
        int n = Math.min(Math.min(count, FILL_BYTES), sourceEnd - sourceIndex);
        if (n <= 0) {
            return -1;
        }
        source.getBytes(sourceIndex, buffer, offset, n);
        sourceIndex += n;
        return n;
    }

    @Override
    public void readBytes(byte[] bytes, int offset, int count) throws KryoException {
        int buffered = limit - position;
        int rest = count - buffered;
        if (source == null || rest < DIRECT_BYTES || offset < 0 || count < 0
                || offset > bytes.length - count) {
            super.readBytes(bytes, offset, count);
            return;
        }
        if (rest > sourceEnd - sourceIndex) {
            throw new KryoException("Buffer underflow.");
        }
        System.arraycopy(buffer, position, bytes, offset, buffered);
        position = limit;
        source.getBytes(sourceIndex, bytes, offset + buffered, rest);
        sourceIndex += rest;
    }

    /** Forgets the lengths claimed so far: a new message begins. */
    void resetClaims() {
        claimed = 0;
    }

    /**
     * Checks {@code count} elements of at least {@code minBytes} each as {@link #checkLength}
     * does, and claims their bytes out of the frame's.
     */
    void claim(long count, int minBytes) {
        checkLength(count, minBytes);
        long total = claimed + count * minBytes;
        if (total > frameBytes) {
            throw new LimitExceededException("declared lengths add up to " + total
                    + " bytes, more than the " + frameBytes + " bytes of the frame: a forged"
                    + " count");
        }
        claimed = total;
    }

    /** Checks that {@code count} elements of at least {@code minBytes} each can still follow. */
    void checkLength(long count, int minBytes) {
        long left = bytesLeft();
        if (count < 0 || count * minBytes > left) {
            throw new LimitExceededException("declared length " + count
                    + " is larger than the " + left + " bytes left in the frame");
        }
    }

    @Override
    public byte[] readBytes(int length) {
        claim(length, 1);
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        claim(length, 4);
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        claim(length, 1);
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        claim(length, 8);
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        claim(length, 1);
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        claim(length, 4);
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        claim(length, 8);
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        claim(length, 2);
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        claim(length, 2);
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        claim(length, 1);
        return super.readBooleans(length);
    }

    // Kryo's BigDecimal reads its unscaled value with a byte count from the wire; a count of 0
    // (never written) would reach Kryo's "impossible" IllegalStateException.
    @Override
    public int readInt(int count) {
        if (count < 1 || count > 4) {
            throw new ProtocolException("a value declares " + count + " bytes for an int: a"
                    + " forged length");
        }
        return super.readInt(count);
    }

    @Override
    public long readLong(int count) {
        if (count < 1 || count > 8) {
            throw new ProtocolException("a value declares " + count + " bytes for a long: a"
                    + " forged length");
        }
        return super.readLong(count);
    }

    @Override
    public String readString() {
        checkStringHeader();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkStringHeader();
        return super.readStringBuilder();
    }

    // Kryo sizes its char buffer from a UTF-8 string's declared char count; every char takes at
    // least one byte, so a count beyond the bytes left is forged.
    private void checkStringHeader() {
        buffered(5);
        int start = position;
        if (start < limit && readVarIntFlag()) {
            int charCount = readVarIntFlag(true);
            if (charCount < 0) { // a 5-byte count past 2^31: Kryo would index a String with it
                throw new ProtocolException("a string declares a negative length ("
                        + charCount + "): a forged length");
            }
            if (charCount > 1) {
                claim(charCount - 1, 1);
            }
        }
        position = start;
    }
}
