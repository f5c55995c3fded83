package dev.jpb.internal.twisted.banana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.twisted.BananaException;
import dev.jpb.twisted.PythonPeer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Banana against the bytes Twisted 22.4 itself produced (banana-captured.txt). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BananaTest {
    private static Map<String, String> captured() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        try (InputStream in = BananaTest.class.getResourceAsStream("/banana-captured.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n")) {
                if (!line.isBlank()) {
                    String[] parts = line.split(" ");
                    cases.put(parts[0], parts[1]);
                }
            }
        }
        return cases;
    }

    /** The Java value each plain (non-jelly) capture stands for. */
    private static Map<String, Object> expectedValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int0", 0);
        m.put("int1", 1);
        m.put("int127", 127);
        m.put("int128", 128);
        m.put("int300", 300);
        m.put("intmax32", Integer.MAX_VALUE);
        m.put("long2p31", 1L << 31);
        m.put("neg1", -1);
        m.put("negmin32", Integer.MIN_VALUE);
        m.put("longneg", (long) Integer.MIN_VALUE - 1);
        m.put("long2p100", BigInteger.ONE.shiftLeft(100));
        m.put("float1.5", 1.5);
        m.put("floatneg", -0.1);
        m.put("bytes", bytes("hello"));
        m.put("emptybytes", new byte[0]);
        m.put("list", List.of(1, bytes("a"), List.of(2.5, -3)));
        m.put("emptylist", List.of());
        m.put("dialects", List.of(bytes("pb"), bytes("none")));
        return m;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String encodeHex(Object value, boolean pb) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Banana.encode(value, buf, pb, BananaLimits.DEFAULTS);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static List<Object> decodeAll(String hex, boolean pb, BananaLimits limits,
            int chunk) {
        BananaDecoder decoder = new BananaDecoder(limits);
        if (pb) {
            decoder.selectPbDialect();
        }
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        try {
            byte[] data = ByteBufUtil.decodeHexDump(hex);
            for (int i = 0; i < data.length; i += chunk) {
                int n = Math.min(chunk, data.length - i);
                channel.writeInbound(Unpooled.wrappedBuffer(data, i, n));
            }
            List<Object> out = new ArrayList<>();
            Object o;
            while ((o = channel.readInbound()) != null) {
                out.add(o);
            }
            return out;
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void capturedFileIsWhatTwistedPrintsToday() throws Exception {
        try (PythonPeer capture = PythonPeer.start("capture.py")) {
            for (Map.Entry<String, String> e : captured().entrySet()) {
                assertThat(capture.nextLine(30)).isEqualTo(e.getKey() + " " + e.getValue());
            }
            assertThat(capture.waitFor(30)).isZero();
        }
    }

    @Test
    void encodesEveryTokenKindAsTwistedDoes() throws IOException {
        Map<String, String> captured = captured();
        expectedValues().forEach((name, value) ->
                assertThat(encodeHex(value, false)).as(name).isEqualTo(captured.get(name)));
    }

    @Test
    void decodesEveryTokenKindAsTwistedSentIt() throws IOException {
        Map<String, String> captured = captured();
        expectedValues().forEach((name, value) -> {
            for (int chunk : new int[] {1, 3, 1000}) {
                List<Object> decoded = decodeAll(captured.get(name), false,
                        BananaLimits.DEFAULTS, chunk);
                assertThat(decoded).as(name + " in chunks of " + chunk)
                        
                        .hasSize(1);
                assertThat(decoded.get(0)).as(name).usingRecursiveComparison()
                        .isEqualTo(value);
            }
        });
    }

    @Test
    void pbDialectSendsAtomsAsVocabularyNumbers() throws IOException {
        Map<String, String> captured = captured();
        assertThat(encodeHex(List.of("version", 6), true)).isEqualTo(captured.get("pbvocab"));
        assertThat(encodeHex(List.of("message", "root", "None", "decref"), true))
                .isEqualTo(captured.get("pbvocabmix"));
        List<Object> decoded = decodeAll(captured.get("pbvocabmix"), true,
                BananaLimits.DEFAULTS, 2);
        assertThat(decoded).hasSize(1);
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) decoded.get(0);
        assertThat(list.get(0)).isEqualTo("message");
        assertThat((byte[]) list.get(1)).isEqualTo(bytes("root"));
        assertThat(list.subList(2, 4)).containsExactly("None", "decref");
    }

    @Test
    void vocabularyOutsideThePbDialectIsRefused() throws IOException {
        assertThatThrownBy(() -> decodeAll(captured().get("pbvocab"), false,
                BananaLimits.DEFAULTS, 100))
                .isInstanceOf(DecoderException.class).cause()
                .isInstanceOf(BananaException.class).hasMessageContaining("vocabulary");
    }

    @Test
    void stringOverTheTokenLimitIsRefusedBeforeItsBytesArrive() {
        // 640 KiB + 1 declared, no payload sent: refused from the 4-byte header alone.
        ByteBuf header = Unpooled.buffer();
        Banana.writePrefix(640 * 1024 + 1, header);
        header.writeByte(Banana.STRING);
        String hex = ByteBufUtil.hexDump(header);
        header.release();
        assertThatThrownBy(() -> decodeAll(hex, true, BananaLimits.DEFAULTS, 100))
                .cause().isInstanceOf(BananaException.class)
                .hasMessageContaining("maxTokenBytes (655360)");
    }

    @Test
    void tokenLimitIsConfigurable() {
        BananaLimits small = new BananaLimits(4, 64, 128, 1 << 20);
        assertThat(decodeAll("04826162636481", false, small, 100)).hasSize(2);
        assertThatThrownBy(() -> decodeAll("0582616263646581", false, small, 100))
                .cause().isInstanceOf(BananaException.class)
                .hasMessageContaining("maxTokenBytes (4)");
        assertThatThrownBy(() -> decodeAll("0580", false, small, 100))
                .cause().hasMessageContaining("a list of 5 elements");
    }

    @Test
    void sixtyFourPrefixDigitsPassAndSixtyFiveAreRefused() {
        String digits64 = "01".repeat(64);
        List<Object> ok = decodeAll(digits64 + "85", false, BananaLimits.DEFAULTS, 7);
        assertThat(ok).hasSize(1).first().isInstanceOf(BigInteger.class);
        // 65 digits and no type byte yet: refused without waiting for more.
        assertThatThrownBy(() -> decodeAll("01".repeat(65), false, BananaLimits.DEFAULTS, 100))
                .cause().isInstanceOf(BananaException.class)
                .hasMessageContaining("maxPrefixDigits");
    }

    @Test
    void unknownTypeByteIsRefused() {
        assertThatThrownBy(() -> decodeAll("0188", false, BananaLimits.DEFAULTS, 100))
                .cause().isInstanceOf(BananaException.class)
                .hasMessageContaining("type byte 0x88");
    }

    @Test
    void truncatedInputYieldsNothingAndKeepsWaiting() {
        assertThat(decodeAll("0380018101826102808440", false, BananaLimits.DEFAULTS, 3))
                .isEmpty();
        assertThat(decodeAll("0582616263", false, BananaLimits.DEFAULTS, 1)).isEmpty();
    }

    @Test
    void depthAndMessageSizeAreBounded() {
        BananaLimits shallow = new BananaLimits(1024, 64, 3, 1 << 20);
        assertThat(decodeAll("01800180" + "0080", false, shallow, 100)).hasSize(1);
        assertThatThrownBy(() -> decodeAll("01800180018001800080", false, shallow, 100))
                .cause().hasMessageContaining("maxDepth");
        BananaLimits tiny = new BananaLimits(1024, 64, 8, 10);
        assertThatThrownBy(() -> decodeAll("0a80" + "0181".repeat(10), false, tiny, 100))
                .cause().hasMessageContaining("maxMessageBytes (10");
    }

    @Test
    void intsPastWhatBananaCarriesAreNotSent() {
        BigInteger tooBig = BigInteger.ONE.shiftLeft(448);
        assertThatThrownBy(() -> encodeHex(tooBig, true))
                .isInstanceOf(BananaException.class).hasMessageContaining("int too large");
        assertThat(encodeHex(tooBig.subtract(BigInteger.ONE), true)).endsWith("85");
        assertThat(encodeHex(Long.MIN_VALUE, true)).endsWith("86");
        assertThat(decodeAll(encodeHex(Long.MIN_VALUE, true), false, BananaLimits.DEFAULTS, 9))
                .containsExactly(Long.MIN_VALUE);
    }
}
