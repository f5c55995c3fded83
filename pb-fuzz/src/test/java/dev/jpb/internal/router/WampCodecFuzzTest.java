package dev.jpb.internal.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jpb.internal.fuzz.FuzzChecks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets (d) for the WAMP endpoint's serializers: arbitrary bytes as the payload of one
 * WebSocket frame, decoded by {@code wamp.2.json} (a text frame) and {@code wamp.2.msgpack}
 * (a binary frame). The seeds are the messages autobahn-js sends in the router's conformance
 * tests, written by {@link WampSeeds}.
 *
 * <p>Invariants, per input: decoding returns a message (a non-empty list starting with an
 * integer) or throws {@link WampCodec.BadMessage}, nothing else (no runtime exception, no
 * {@link Error}: under {@code -Xmx256m} an allocation the bytes do not justify is an
 * {@link OutOfMemoryError}); what a message decodes to is bounded by its bytes; the decoder
 * neither releases nor keeps the frame's buffer; and a decoded message encodes again.
 */
@Timeout(120)
class WampCodecFuzzTest {
    private static final WampCodec JSON = WampCodec.forSubprotocol("wamp.2.json");
    private static final WampCodec MSGPACK = WampCodec.forSubprotocol("wamp.2.msgpack");

    /** An input is the text of one {@code wamp.2.json} frame. */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/wamp-json.dict")
    @FuzzTest(maxDuration = "60s")
    void decodeJson(byte[] data) {
        check(JSON, new TextWebSocketFrame(Unpooled.wrappedBuffer(data)), data.length);
    }

    /** An input is the payload of one {@code wamp.2.msgpack} frame. */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/msgpack.dict")
    @FuzzTest(maxDuration = "60s")
    void decodeMsgPack(byte[] data) {
        check(MSGPACK, new BinaryWebSocketFrame(Unpooled.wrappedBuffer(data)), data.length);
    }

    static List<Object> check(WampCodec codec, WebSocketFrame frame, int bytes) {
        ByteBuf content = frame.content();
        List<Object> message;
        try {
            message = codec.decode(frame);
        } catch (WampCodec.BadMessage e) {
            return null;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("the WAMP decoder failed with " + e
                    + " instead of BadMessage", e);
        } finally {
            assertThat(content.refCnt()).as("the frame's references after decoding")
                    .isEqualTo(1);
            assertThat(content.readableBytes()).as("bytes the decoder consumed from the frame")
                    .isEqualTo(bytes);
            frame.release();
        }
        assertThat(message).isNotEmpty();
        assertThat(message.get(0)).isInstanceOf(Integer.class);
        assertThat(weigh(message)).as("objects and slots decoded from %s bytes", bytes)
                .isLessThanOrEqualTo(2L * bytes + 16);
        WebSocketFrame again = codec.encode(message);
        again.release();
        return message;
    }

    /** Counts the distinct objects and their slots reachable from {@code value}. */
    static long weigh(Object value) {
        return FuzzChecks.weigh(List.of(value), Set.of(), o -> true);
    }
}
