package dev.jpb.internal.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The MessagePack serializer against headers declaring more than the frame holds. */
@Timeout(10)
class WampCodecTest {
    private static final WampCodec MSGPACK = WampCodec.forSubprotocol("wamp.2.msgpack");

    private static List<Object> decode(int... bytes) throws WampCodec.BadMessage {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b));
        try {
            return MSGPACK.decode(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void aBinaryDeclaringTwoGigabytesIsABadMessageNotAnAllocation() {
        // pb-fuzz finding: [1, bin32(0x7fffffff)] made msgpack allocate 2 GiB, an OOM
        assertThatThrownBy(() -> decode(0x92, 1, 0xc6, 0x7f, 0xff, 0xff, 0xff, 'a'))
                .isInstanceOf(WampCodec.BadMessage.class)
                .hasMessageContaining("binary of 2147483647 bytes with only 1 bytes left");
    }

    @Test
    void aStringDeclaringMoreThanTheFrameIsABadMessage() {
        assertThatThrownBy(() -> decode(0x92, 1, 0xdb, 0x7f, 0xff, 0xff, 0xff, 'a'))
                .isInstanceOf(WampCodec.BadMessage.class)
                .hasMessageContaining("string of 2147483647 bytes");
    }

    @Test
    void anArrayOrMapDeclaringMoreItemsThanBytesLeftIsABadMessage() {
        assertThatThrownBy(() -> decode(0x92, 1, 0xdd, 0x7f, 0xff, 0xff, 0xff, 1))
                .isInstanceOf(WampCodec.BadMessage.class)
                .hasMessageContaining("array of 2147483647 items");
        assertThatThrownBy(() -> decode(0x92, 1, 0xdf, 0, 0, 0, 2, 0xa1, 'k', 1))
                .isInstanceOf(WampCodec.BadMessage.class)
                .hasMessageContaining("map of 2 entries with only 3 bytes left");
    }

    @Test
    void valuesThatFitTheFrameStillDecode() throws Exception {
        // [16, "x", bin8(2) 07 08, {"k": 1}]
        List<Object> m = decode(0x94, 16, 0xa1, 'x', 0xc4, 2, 7, 8, 0x81, 0xa1, 'k', 1);
        assertThat(m).hasSize(4);
        assertThat(m.get(1)).isEqualTo("x");
        assertThat((byte[]) m.get(2)).containsExactly(7, 8);
        assertThat(m.get(3)).isEqualTo(Map.of("k", 1));
    }
}
