package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.io.Input;
import dev.jpb.LimitExceededException;

/**
 * A Kryo input over one whole frame that refuses any length larger than the bytes left in the
 * frame could hold, before allocating for it: a forged length costs an error, not memory.
 */
final class SafeInput extends Input {
    SafeInput() {
        super();
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
        checkLength(length, 1);
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkLength(length, 4);
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkLength(length, 1);
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkLength(length, 8);
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkLength(length, 1);
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkLength(length, 4);
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkLength(length, 8);
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkLength(length, 2);
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkLength(length, 2);
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkLength(length, 1);
        return super.readBooleans(length);
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
            if (charCount > 1) {
                checkLength(charCount - 1, 1);
            }
        }
        position = start;
    }
}
