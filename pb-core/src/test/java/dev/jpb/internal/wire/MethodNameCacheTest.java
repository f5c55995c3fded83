package dev.jpb.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MethodNameCacheTest {
    private static ByteBuf wire(String... names) {
        Output out = new Output(64, -1);
        for (String name : names) {
            WireStrings.write(out, name);
        }
        return Unpooled.wrappedBuffer(out.toBytes());
    }

    @Test
    void aNameReadTwiceIsTheSameInstanceAndTheReaderMovesPastIt() {
        ByteBuf in = wire("add", "add", null, "sub");

        String first = MethodNameCache.read(in);
        String second = MethodNameCache.read(in);

        assertThat(first).isEqualTo("add");
        assertThat(second).isSameAs(first);
        assertThat(MethodNameCache.read(in)).isNull();
        assertThat(MethodNameCache.read(in)).isEqualTo("sub");
        assertThat(in.isReadable()).isFalse();
    }

    @Test
    void manyDistinctNamesAllReadBackRightThoughTheySharePlaces() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            names.add("m" + i);
        }
        for (int round = 0; round < 2; round++) {
            ByteBuf in = wire(names.toArray(new String[0]));
            for (String name : names) {
                assertThat(MethodNameCache.read(in)).isEqualTo(name);
            }
        }
    }

    @Test
    void nonAsciiAndLongNamesAreDecodedAsUtf8() {
        String accented = "caf\u00e9";
        String longName = "n".repeat(65);
        ByteBuf in = wire(accented, longName, accented);

        assertThat(MethodNameCache.read(in)).isEqualTo(accented);
        assertThat(MethodNameCache.read(in)).isEqualTo(longName);
        assertThat(MethodNameCache.read(in)).isEqualTo(accented);
    }

    @Test
    void aNameDifferingInOneByteFromACachedOneIsNotMistakenForIt() {
        assertThat(MethodNameCache.read(wire("abc"))).isEqualTo("abc");
        assertThat(MethodNameCache.read(wire("abd"))).isEqualTo("abd");
        assertThat(MethodNameCache.read(wire("abc"))).isEqualTo("abc");
        assertThat(MethodNameCache.read(wire("ab"))).isEqualTo("ab");
    }

    @Test
    void aLengthPastTheFrameIsAProtocolError() {
        ByteBuf in = Unpooled.wrappedBuffer(new byte[] {101, 'a', 'b'});

        assertThatThrownBy(() -> MethodNameCache.read(in))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("string length 100 runs past the frame");
    }
}
