package dev.jpb.internal.wire;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import java.nio.charset.StandardCharsets;

/**
 * Strings in message headers: a LEB128 varint of the UTF-8 length plus one ({@code 0} means
 * null), then the UTF-8 bytes. Simpler than Kryo's own string format, for foreign peers.
 */
public final class WireStrings {
    private WireStrings() {
    }

    /** Writes {@code s}, which may be null. */
    public static void write(Output out, String s) {
        if (s == null) {
            out.writeVarInt(0, true);
            return;
        }
        int n = s.length();
        if (n <= ASCII_DIRECT && isAscii(s, n)) { // a method name, say: no byte[] made
            out.writeVarInt(n + 1, true);
            for (int i = 0; i < n; i++) {
                out.writeByte(s.charAt(i));
            }
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeVarInt(bytes.length + 1, true);
        out.writeBytes(bytes);
    }

    // Strings up to this length are checked for ASCII and written char by char.
    private static final int ASCII_DIRECT = 64;

    private static boolean isAscii(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Reads a string, or null. */
    public static String read(Input in) {
        int n = in.readVarInt(true);
        if (n == 0) {
            return null;
        }
        int length = n - 1;
        if (length < 0 || length > in.limit() - in.position()) {
            throw new ProtocolException("string length " + length + " runs past the frame");
        }
        String s = new String(in.getBuffer(), in.position(), length, StandardCharsets.UTF_8);
        in.setPosition(in.position() + length);
        return s;
    }
}
