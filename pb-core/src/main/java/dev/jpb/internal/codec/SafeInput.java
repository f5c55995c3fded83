package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.io.Input;
import dev.jpb.LimitExceededException;
import dev.jpb.ProtocolException;

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
 */
final class SafeInput extends Input {
    private long claimed; // bytes claimed by the lengths read since the last reset
    private int frameBytes; // the length of the buffer's frame

    SafeInput() {
        super();
    }

    @Override
    public void setBuffer(byte[] bytes, int offset, int count) {
        super.setBuffer(bytes, offset, count);
        frameBytes = count;
        claimed = 0;
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
        long left = (long) limit - position;
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
