package dev.jpb.internal.wire;

import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Reads the method name of a CALL or OBSERVE header (a header string, see {@link WireStrings})
 * without making a new {@code String} for a name read before: a direct-mapped table of recent
 * ASCII names, found by the hash of their bytes and checked byte by byte. A peer sending ever
 * new names only makes entries replace each other (the table never grows). Thread-safe: the
 * entries are immutable strings, written and read without locks (a lost write costs one string).
 */
final class MethodNameCache {
    private static final int SLOTS = 512; // a power of two
    private static final int MAX_LENGTH = 64; // longer names are decoded as they come
    private static final String[] NAMES = new String[SLOTS];

    private MethodNameCache() {
    }

    /** Reads a header string, or null; a name seen before comes back as the same instance. */
    static String read(ByteBuf in) {
        int n = FrameCodec.readVarInt(in);
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        if (length < 0 || length > in.readableBytes()) {
            throw new ProtocolException("string length " + length + " runs past the frame");
        }
        int start = in.readerIndex();
        int hash = length <= MAX_LENGTH ? asciiHash(in, start, length) : -1;
        if (hash < 0) {
            String s = in.toString(start, length, StandardCharsets.UTF_8);
            in.skipBytes(length);
            return s;
        }
        int slot = (hash ^ hash >>> 9) & (SLOTS - 1);
        String cached = NAMES[slot];
        if (cached == null || !sameAscii(cached, in, start, length)) {
            cached = in.toString(start, length, StandardCharsets.US_ASCII);
            NAMES[slot] = cached;
        }
        in.skipBytes(length);
        return cached;
    }

    // A non-negative hash of the bytes, or -1 if one is not ASCII.
    private static int asciiHash(ByteBuf in, int start, int length) {
        int h = length;
        for (int i = 0; i < length; i++) {
            byte b = in.getByte(start + i);
            if (b < 0) {
                return -1;
            }
            h = 31 * h + b;
        }
        return h & Integer.MAX_VALUE;
    }

    private static boolean sameAscii(String s, ByteBuf in, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != in.getByte(start + i)) {
                return false;
            }
        }
        return true;
    }
}
