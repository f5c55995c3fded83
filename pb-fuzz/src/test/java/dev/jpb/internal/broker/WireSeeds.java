package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import dev.jpb.internal.wire.Hello;
import dev.jpb.internal.wire.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the seed corpus of {@link BrokerFuzzTest}: conversations a jpb peer really has
 * (frames encoded with jpb's {@link FrameCodec} and {@link ValueCodec}, {@code valid-*}) and
 * hostile ones ({@code hostile-*}). Run from the module root:
 * {@code java -cp <test classpath> dev.jpb.internal.broker.WireSeeds src/test/resources}.
 */
final class WireSeeds {
    static final String HANDSHAKE_DIR =
            "dev/jpb/internal/broker/BrokerFuzzTestInputs/handshakeThenFrames";
    static final String FRAMES_DIR =
            "dev/jpb/internal/broker/BrokerFuzzTestInputs/framesAfterHandshake";
    /** The id the end gives its root, the first object it exports. */
    static final long ROOT_ID = 1;

    private WireSeeds() {
    }

    /** Encodes frame bodies the way a peer does: values with their TYPES frames first. */
    static final class Conversation {
        final ValueCodec codec = new ValueCodec(TypeRegistry.of(List.of()), 64);
        final TypeTable types = new TypeTable(1000);
        final CodecSession session = new CodecSession(types, new FramePeer.PeerHooks());
        final List<byte[]> bodies = new ArrayList<>();

        Conversation root(long requestId) {
            Output out = new Output(32, -1);
            FrameCodec.write(out, new Frame.Root(requestId));
            bodies.add(out.toBytes());
            return this;
        }

        Conversation call(long requestId, long target, String method, Object... args) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Call(requestId, target, method, args.length));
            codec.write(out, args, session);
            types();
            bodies.add(out.toBytes());
            return this;
        }

        Conversation cache(long objectId, String type, Object state) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Cache(objectId, type));
            codec.write(out, new Object[] {state}, session);
            types();
            bodies.add(out.toBytes());
            return this;
        }

        Conversation observe(long objectId, String method, Object... args) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Observe(objectId, method, args.length));
            codec.write(out, args, session);
            types();
            bodies.add(out.toBytes());
            return this;
        }

        Conversation decref(long objectId, int count) {
            Output out = new Output(32, -1);
            FrameCodec.write(out, new Frame.Decref(List.of(new Frame.Decref.Pair(objectId,
                    count))));
            bodies.add(out.toBytes());
            return this;
        }

        Conversation typesFrame(int firstId, String... names) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Types(firstId, List.of(names)));
            bodies.add(out.toBytes());
            return this;
        }

        Conversation login(long requestId, String mechanism, String clientFirst) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Login(requestId, mechanism, clientFirst));
            if (clientFirst == null) {
                codec.write(out, new Object[] {null}, session); // an anonymous login's mind
            }
            bodies.add(out.toBytes());
            return this;
        }

        /** A CALL_DEADLINE: a call with {@code timeoutMicros} left of its caller's deadline. */
        Conversation callWithin(long requestId, long target, long timeoutMicros, String method,
                Object... args) {
            Output out = new Output(256, -1);
            FrameCodec.write(out, new Frame.Call(requestId, target, method, args.length,
                    timeoutMicros));
            codec.write(out, args, session);
            types();
            bodies.add(out.toBytes());
            return this;
        }

        /** Any header-only frame jpb's own encoder writes (CANCEL, PING, PONG, login steps). */
        Conversation frame(java.util.function.Consumer<Output> writer) {
            Output out = new Output(256, -1);
            writer.accept(out);
            bodies.add(out.toBytes());
            return this;
        }

        Conversation raw(int... bytes) {
            byte[] b = new byte[bytes.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) bytes[i];
            }
            bodies.add(b);
            return this;
        }

        private void types() {
            List<String> names = types.pendingDefinitions();
            if (!names.isEmpty()) {
                typesFrame(types.firstPendingId(), names.toArray(String[]::new));
                types.clearPendingDefinitions();
            }
        }

        /** The bodies in {@link BrokerFuzzTest#framesAfterHandshake}'s layout. */
        byte[] asFuzzInput() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] body : bodies) {
                if (body.length < 0x80) {
                    out.write(body.length);
                } else {
                    out.write(0x80 | body.length >> 8);
                    out.write(body.length & 0xff);
                }
                out.writeBytes(body);
            }
            return out.toByteArray();
        }

        /** The bodies as they travel: each after its 4-byte length. */
        byte[] asWire() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] body : bodies) {
                out.writeBytes(Unpooled.buffer(4).writeInt(body.length).array());
                out.writeBytes(body);
            }
            return out.toByteArray();
        }
    }

    static byte[] hello(int major, int maxFrameBytes) {
        ByteBuf buf = Unpooled.buffer(Hello.LENGTH);
        new Hello(major, Hello.MINOR, Hello.FEATURES, maxFrameBytes).writeTo(buf);
        return buf.array();
    }

    /** {@link BrokerFuzzTest#handshakeThenFrames}' layout: the split, then the bytes. */
    static byte[] handshakeInput(int split, byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(split);
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A conversation using every method of the root. */
    static Conversation everyMethod() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("k", List.of(1, 2L, "three"));
        map.put("n", null);
        return new Conversation().root(1)
                .call(2, ROOT_ID, "echo", "hello")
                .call(3, ROOT_ID, "add", 2, 3)
                .call(4, ROOT_ID, "size", List.of(1, "a", List.of()))
                .call(5, ROOT_ID, "identity", map)
                .call(6, ROOT_ID, "child")
                .call(7, ROOT_ID + 1, "ping")
                .call(0, ROOT_ID, "echo", "one-way");
    }

    /** Returns the seeds of (c) by file name. */
    static Map<String, byte[]> frameSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("valid-root", new Conversation().root(1).asFuzzInput());
        seeds.put("valid-every-method", everyMethod().asFuzzInput());
        seeds.put("valid-decref", new Conversation().root(1).root(2).decref(ROOT_ID, 2)
                .asFuzzInput());
        seeds.put("valid-failure", new Conversation().root(1).call(2, ROOT_ID, "fail")
                .call(3, ROOT_ID, "missing", 1).call(4, ROOT_ID, "add", "not", "ints")
                .asFuzzInput());
        seeds.put("valid-login", new Conversation()
                .login(1, "SCRAM-SHA-256", "n,,n=alice,r=rOprNGfwEbeRWgbNEkqO")
                .login(2, "ANONYMOUS", null).raw(MessageKind.LOGOUT, 3).asFuzzInput());
        seeds.put("valid-cache-then-observe", new Conversation()
                .cache(5, "dev.jpb.cache.CacheableList", List.of(0L, List.of()))
                .observe(5, "add", 1L, 0, "x").asFuzzInput());
        seeds.put("valid-deadline-cancel-ping", new Conversation().root(1)
                .callWithin(2, ROOT_ID, 5_000_000, "echo", "in time")
                .callWithin(3, ROOT_ID, 1, "add", 1, 2)
                .frame(out -> FrameCodec.write(out, new Frame.Cancel(3)))
                .frame(out -> FrameCodec.write(out, new Frame.Ping(false)))
                .frame(out -> FrameCodec.write(out, new Frame.Ping(true)))
                .asFuzzInput());
        seeds.put("valid-login-proof", new Conversation()
                .login(1, "SCRAM-SHA-256", "n,,n=alice,r=rOprNGfwEbeRWgbNEkqO")
                .frame(out -> FrameCodec.write(out, new Frame.LoginProof(1,
                        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")))
                .asFuzzInput());
        seeds.put("hostile-login-server-frames", new Conversation()
                .frame(out -> FrameCodec.write(out, new Frame.LoginChallenge(1,
                        "r=x,s=QSXCR+Q6sek8bf92,i=4096")))
                .frame(out -> FrameCodec.write(out, new Frame.LoginOk(1, "v=abc")))
                .asFuzzInput());
        seeds.put("hostile-error-unknown", new Conversation()
                .frame(out -> FrameCodec.write(out, new Frame.Error(9, "java.lang.Error", "x",
                        null, false, true))).asFuzzInput());
        seeds.put("hostile-cancel-unknown", new Conversation()
                .frame(out -> FrameCodec.write(out, new Frame.Cancel(77))).asFuzzInput());
        seeds.put("hostile-observe-unknown-copy", new Conversation()
                .observe(99, "put", 1L, "k", "v").asFuzzInput());
        seeds.put("hostile-unknown-object", new Conversation().call(1, 42, "echo", "x")
                .asFuzzInput());
        seeds.put("hostile-types-out-of-order", new Conversation()
                .typesFrame(20, "java.lang.String").asFuzzInput());
        seeds.put("hostile-forbidden-type", new Conversation()
                .typesFrame(16, "java.lang.ProcessBuilder").asFuzzInput());
        seeds.put("hostile-decref-never-sent", new Conversation().decref(ROOT_ID, 5)
                .asFuzzInput());
        seeds.put("hostile-answer-unknown", new Conversation()
                .raw(MessageKind.ANSWER, 9, 0).asFuzzInput());
        seeds.put("hostile-unknown-kind", new Conversation().raw(0x7f).raw().asFuzzInput());
        seeds.put("hostile-argc-past-frame", new Conversation()
                .raw(MessageKind.CALL, 1, 1, 5, 'e', 'c', 'h', 'o', 0x7f).asFuzzInput());
        seeds.put("hostile-bad-value", new Conversation().root(1)
                .raw(MessageKind.CALL, 2, 1, 5, 'e', 'c', 'h', 'o', 1, 99).asFuzzInput());
        return seeds;
    }

    /** Returns the seeds of (a) by file name. */
    static Map<String, byte[]> handshakeSeeds() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        byte[] hello = hello(Hello.MAJOR, 64 * 1024);
        seeds.put("valid-hello-then-root", handshakeInput(Hello.LENGTH, hello,
                new Conversation().root(1).asWire()));
        seeds.put("valid-in-one-read", handshakeInput(255, hello, everyMethod().asWire()));
        seeds.put("valid-hello-in-pieces", handshakeInput(10, hello,
                new Conversation().root(3).asWire()));
        seeds.put("hostile-http", handshakeInput(255,
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
        seeds.put("hostile-major", handshakeInput(Hello.LENGTH, hello(Hello.MAJOR + 1, 65536)));
        seeds.put("hostile-small-frames", handshakeInput(Hello.LENGTH, hello(Hello.MAJOR, 512)));
        seeds.put("hostile-too-long-frame", handshakeInput(Hello.LENGTH, hello,
                new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}));
        seeds.put("hostile-negative-length", handshakeInput(Hello.LENGTH, hello,
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 1, 2}));
        seeds.put("hostile-short-hello", handshakeInput(255, new byte[] {0x4a, 0x50, 0x42}));
        return seeds;
    }

    /** Writes the seeds under the resource root {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        write(Path.of(args[0]).resolve(HANDSHAKE_DIR), handshakeSeeds());
        write(Path.of(args[0]).resolve(FRAMES_DIR), frameSeeds());
    }

    private static void write(Path dir, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
