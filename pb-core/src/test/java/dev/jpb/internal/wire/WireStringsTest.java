package dev.jpb.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WireStringsTest {
    private static byte[] write(String s) {
        Output out = new Output(16, -1);
        WireStrings.write(out, s);
        return out.toBytes();
    }

    private static String read(byte[] bytes) {
        return WireStrings.read(new Input(bytes));
    }

    @Test
    void nullIsASingleZeroByte() {
        assertThat(write(null)).containsExactly(0);
        assertThat(read(new byte[] {0})).isNull();
    }

    @Test
    void emptyIsLengthOnePlusNothing() {
        assertThat(write("")).containsExactly(1);
        assertThat(read(new byte[] {1})).isEmpty();
    }

    @Test
    void utf8IsLengthInBytesPlusOneThenTheBytes() {
        String s = "h\u00e9 \u20ac \uD834\uDD1E"; // 1 + 2 + 1 + 3 + 1 + 4 UTF-8 bytes
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);

        byte[] wire = write(s);

        assertThat(utf8).hasSize(12);
        assertThat(wire[0]).isEqualTo((byte) 13);
        assertThat(wire).hasSize(13);
        assertThat(read(wire)).isEqualTo(s);
    }

    @Test
    void longStringUsesAMultiByteVarint() {
        String s = "x".repeat(300);
        byte[] wire = write(s);

        assertThat(wire).hasSize(2 + 300);
        assertThat(read(wire)).isEqualTo(s);
    }

    @Test
    void readStopsAtTheStringsEnd() {
        Output out = new Output(32, -1);
        WireStrings.write(out, "ab");
        WireStrings.write(out, null);
        WireStrings.write(out, "c");
        Input in = new Input(out.toBytes());

        assertThat(WireStrings.read(in)).isEqualTo("ab");
        assertThat(WireStrings.read(in)).isNull();
        assertThat(WireStrings.read(in)).isEqualTo("c");
        assertThat(in.position()).isEqualTo(in.limit());
    }

    @Test
    void asciiFastPathWritesTheSameBytesAsUtf8AtEveryLengthAroundItsLimit() {
        for (String s : new String[] {"a", "add", "x".repeat(63), "y".repeat(64),
                "z".repeat(65), "ab\u007f", "ab\u0080", "caf\u00e9", "\u0000nul"}) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            byte[] wire = write(s);

            assertThat(wire).as(s).hasSize(utf8.length + (utf8.length + 1 < 128 ? 1 : 2));
            assertThat(java.util.Arrays.copyOfRange(wire, wire.length - utf8.length,
                    wire.length)).as(s).isEqualTo(utf8);
            assertThat(read(wire)).isEqualTo(s);
        }
    }

    @Test
    void lengthPastTheFrameIsAProtocolError() {
        // claims 100 bytes, 3 follow
        assertThatThrownBy(() -> read(new byte[] {101, 'a', 'b', 'c'}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("string length 100 runs past the frame");
    }

    @Test
    void lengthOneByteTooLongIsAProtocolError() {
        assertThatThrownBy(() -> read(new byte[] {5, 'a', 'b', 'c'}))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void lengthPastTheInputsLimitIsAProtocolErrorEvenIfTheBufferIsLarger() {
        byte[] buffer = {4, 'a', 'b', 'c', 'd', 'e'};
        Input in = new Input(buffer, 0, 3); // the frame ends after 'b'

        assertThatThrownBy(() -> WireStrings.read(in)).isInstanceOf(ProtocolException.class);
    }

    @Test
    void hugeOrNegativeDeclaredLengthsAreProtocolErrors() {
        for (int declared : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -1}) {
            Output out = new Output(8, -1);
            out.writeVarInt(declared, true);
            byte[] bytes = out.toBytes();

            assertThatThrownBy(() -> read(bytes)).as("declared %s", declared)
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("runs past the frame");
        }
    }
}
