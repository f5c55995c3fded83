package dev.jpb.internal.router;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seeds of {@link WampCodecFuzzTest}: {@code valid-*}, the messages an
 * autobahn-js client and the router exchange in pb-router's conformance tests (HELLO to
 * GOODBYE, with the options autobahn sends), encoded by the router's own serializers; and
 * {@code hostile-*}, what a hostile client sends instead (huge declared lengths, deep nesting,
 * a map where a message goes, numbers past 64 bits, trailing bytes).
 *
 * <p>Run: {@code java -cp <test classpath> dev.jpb.internal.router.WampSeeds
 * src/test/resources}.
 */
final class WampSeeds {
    private WampSeeds() {
    }

    static Map<String, List<Object>> messages() {
        Map<String, Object> roles = new LinkedHashMap<>();
        for (String role : List.of("caller", "callee", "publisher", "subscriber")) {
            roles.put(role, Map.of("features", Map.of("progressive_call_results", true)));
        }
        Map<String, List<Object>> m = new LinkedHashMap<>();
        m.put("hello", List.of(1, "realm1", Map.of("roles", roles, "authmethods",
                List.of("anonymous"))));
        m.put("subscribe", List.of(32, 1, Map.of("match", "prefix"), "com.example."));
        m.put("publish", List.of(16, 2, Map.of("acknowledge", true, "exclude_me", false),
                "com.example.topic", list(1, "two", 3.5, null, true, -9_000_000_000L),
                Map.of("k", "v", "n", List.of())));
        m.put("call", List.of(48, 3, Map.of("timeout", 1000, "receive_progress", true),
                "com.example.add", List.of(1, 2)));
        m.put("register", List.of(64, 4, Map.of("invoke", "roundrobin"), "com.example.add"));
        m.put("yield", List.of(70, 5, Map.of("progress", false), List.of(3),
                Map.of("by", "js")));
        m.put("error", List.of(8, 68, 6, Map.of(), "wamp.error.runtime_error", List.of("bad")));
        m.put("cancel", List.of(49, 3, Map.of("mode", "killnowait")));
        m.put("unsubscribe", List.of(34, 7, 12345L));
        m.put("goodbye", List.of(6, Map.of(), "wamp.close.system_shutdown"));
        return m;
    }

    private static List<Object> list(Object... items) {
        return new ArrayList<>(java.util.Arrays.asList(items));
    }

    public static void main(String[] args) throws IOException {
        Path base = Path.of(args[0], "dev", "jpb", "internal", "router",
                "WampCodecFuzzTestInputs");
        Path json = Files.createDirectories(base.resolve("decodeJson"));
        Path pack = Files.createDirectories(base.resolve("decodeMsgPack"));
        WampCodec jsonCodec = WampCodec.forSubprotocol("wamp.2.json");
        WampCodec packCodec = WampCodec.forSubprotocol("wamp.2.msgpack");
        for (Map.Entry<String, List<Object>> e : messages().entrySet()) {
            Files.write(json.resolve("valid-" + e.getKey()), bytes(jsonCodec.encode(e.getValue())));
            Files.write(pack.resolve("valid-" + e.getKey()), bytes(packCodec.encode(e.getValue())));
        }
        List<Object> binary = List.of(16, 9, Map.of(), "com.bin",
                List.of(new byte[] {0, 1, 2}, new BigInteger("18446744073709551615")));
        Files.write(pack.resolve("valid-binary"), bytes(packCodec.encode(binary)));
        Files.write(json.resolve("hostile-deep"), ascii("[1," + "[".repeat(200)
                + "]".repeat(200) + "]"));
        Files.write(json.resolve("hostile-big-number"), ascii("[1,1" + "0".repeat(2000) + "]"));
        Files.write(json.resolve("hostile-object"), ascii("{\"1\":[]}"));
        Files.write(json.resolve("hostile-trailing"), ascii("[1,{}] [2]"));
        // str32, bin32 and array32 headers declaring 2^31-1 items, then a few bytes
        Files.write(pack.resolve("hostile-huge-string"),
                new byte[] {(byte) 0x92, 1, (byte) 0xdb, 0x7f, -1, -1, -1, 'a'});
        Files.write(pack.resolve("hostile-huge-binary"),
                new byte[] {(byte) 0x92, 1, (byte) 0xc6, 0x7f, -1, -1, -1, 'a'});
        Files.write(pack.resolve("hostile-huge-array"),
                new byte[] {(byte) 0x92, 1, (byte) 0xdd, 0x7f, -1, -1, -1, 1});
        Files.write(pack.resolve("hostile-huge-map"),
                new byte[] {(byte) 0x92, 1, (byte) 0xdf, 0x7f, -1, -1, -1, (byte) 0xa1, 'k', 1});
        byte[] deep = new byte[300];
        java.util.Arrays.fill(deep, (byte) 0x91);
        Files.write(pack.resolve("hostile-deep"), deep);
        Files.write(pack.resolve("hostile-ext"), new byte[] {(byte) 0x92, 1, (byte) 0xd4, 1, 2});
    }

    private static byte[] bytes(WebSocketFrame frame) {
        try {
            return ByteBufUtil.getBytes(frame.content());
        } finally {
            frame.release();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
