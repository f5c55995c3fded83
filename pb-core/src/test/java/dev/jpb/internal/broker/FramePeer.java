package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Limits;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.StubRemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.ReferenceHooks;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.wire.Hello;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A jpb end on an {@link EmbeddedChannel} (direct executor, so calls run inline) and the peer
 * facing it, played by hand: the test writes frames into the channel and reads back what the
 * end wrote, decoding values with a codec of its own.
 */
final class FramePeer implements AutoCloseable {
    final EmbeddedChannel channel;
    CompletableFuture<Broker> handshake;
    final ValueCodec codec = new ValueCodec(TypeRegistry.of(List.of()), 64);
    final TypeTable types = new TypeTable(1000);
    final PeerHooks hooks = new PeerHooks();
    final CodecSession session = new CodecSession(types, hooks);
    /** The end's hello, once {@link #connect()} read it. */
    Hello endHello;
    /** The body length of each TYPES frame received, in order. */
    final List<Integer> typesFrameLengths = new ArrayList<>();

    /** A frame the end wrote: its kind and the rest of its body. */
    record Frame(int kind, byte[] body) {
        Input input() {
            Input in = ValueCodec.newInput();
            in.setBuffer(body);
            return in;
        }
    }

    FramePeer(Root root) {
        this(root, Limits.defaults());
    }

    FramePeer(Root root, Limits limits) {
        BrokerConfig config = BrokerConfig.of(List.of(), limits, Runnable::run, root, false,
                Duration.ofSeconds(10));
        channel = new EmbeddedChannel(new PbChannelInitializer(config, (ch, f) -> handshake = f));
    }

    /** An end with {@code config} (e.g. one that serves login). */
    FramePeer(BrokerConfig config) {
        channel = new EmbeddedChannel(new PbChannelInitializer(config, (ch, f) -> handshake = f));
    }

    /** Reads the end's hello, which it writes on activation, unframed. */
    Hello readHello() {
        ByteBuf buf = channel.readOutbound();
        assertThat(buf).as("hello").isNotNull();
        try {
            assertThat(buf.readableBytes()).isEqualTo(Hello.LENGTH);
            String[] problem = new String[1];
            Hello hello = Hello.read(buf, problem);
            assertThat(problem[0]).isNull();
            return hello;
        } finally {
            buf.release();
        }
    }

    /** Completes the handshake: reads the end's hello, sends ours, returns the broker. */
    Broker connect() {
        return connect(Limits.defaults().maxFrameBytes());
    }

    Broker connect(int peerMaxFrameBytes) {
        endHello = readHello();
        ByteBuf hello = Unpooled.buffer(Hello.LENGTH);
        new Hello(Hello.MAJOR, Hello.MINOR, 0, peerMaxFrameBytes).writeTo(hello);
        channel.writeInbound(hello);
        assertThat(handshake).isCompleted();
        return handshake.join();
    }

    void writeRaw(byte[] bytes) {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
    }

    /** Sends one frame: a 4-byte length, then the body {@code body} writes. */
    void send(Consumer<Output> body) {
        Output out = new Output(256, -1);
        body.accept(out);
        sendFrame(out.toBytes());
    }

    void sendFrame(byte[] body) {
        ByteBuf buf = Unpooled.buffer(4 + body.length);
        buf.writeInt(body.length).writeBytes(body);
        channel.writeInbound(buf);
    }

    void sendRoot(long requestId) {
        send(out -> {
            out.writeByte(MessageKind.ROOT);
            out.writeVarLong(requestId, true);
        });
    }

    /** Sends a call, preceded by a TYPES frame if its arguments name new types. */
    void sendCall(long requestId, long targetId, String method, Object... args) {
        Output out = new Output(256, -1);
        out.writeByte(MessageKind.CALL);
        out.writeVarLong(requestId, true);
        out.writeVarLong(targetId, true);
        WireStrings.write(out, method);
        out.writeVarInt(args.length, true);
        codec.write(out, args, session);
        sendPendingTypes();
        sendFrame(out.toBytes());
    }

    void sendAnswer(long requestId, Object value) {
        Output out = new Output(256, -1);
        out.writeByte(MessageKind.ANSWER);
        out.writeVarLong(requestId, true);
        codec.write(out, new Object[] {value}, session);
        sendPendingTypes();
        sendFrame(out.toBytes());
    }

    /** Answers request {@code requestId} with a reference to the peer's object {@code id} (< 128). */
    void sendReferenceAnswer(long requestId, int id) {
        send(out -> {
            out.writeByte(MessageKind.ANSWER);
            out.writeVarLong(requestId, true);
            out.writeBytes(new byte[] {1, 1, (byte) id}); // REFERENCE, new, id
        });
    }

    void sendPendingTypes() {
        List<String> names = types.pendingDefinitions();
        if (names.isEmpty()) {
            return;
        }
        int first = types.firstPendingId();
        send(out -> {
            out.writeByte(MessageKind.TYPES);
            out.writeVarInt(first, true);
            out.writeVarInt(names.size(), true);
            for (String name : names) {
                WireStrings.write(out, name);
            }
        });
        types.clearPendingDefinitions();
    }

    /**
     * Runs the end's pending event-loop work and returns the frames it wrote, after applying
     * (and dropping) its TYPES frames.
     */
    List<Frame> receive() {
        runTasks();
        List<Frame> frames = new ArrayList<>();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            try {
                while (buf.isReadable()) {
                    int length = buf.readInt();
                    assertThat(length).as("frame length").isPositive()
                            .isLessThanOrEqualTo(buf.readableBytes());
                    int kind = buf.readUnsignedByte();
                    byte[] body = new byte[length - 1];
                    buf.readBytes(body);
                    if (kind == MessageKind.TYPES) {
                        typesFrameLengths.add(length);
                        define(body);
                    } else {
                        frames.add(new Frame(kind, body));
                    }
                }
            } finally {
                buf.release();
            }
        }
        return frames;
    }

    /**
     * Runs the end's pending event-loop tasks the way its event loop would: one after another.
     * (Called bare, {@code EmbeddedChannel.runPendingTasks()} lets every {@code write} inside a
     * task run the other pending tasks first, re-entering the broker's outbox mid-message; inside
     * {@code flushInbound()} it does not.)
     */
    void runTasks() {
        if (channel.isOpen()) {
            channel.flushInbound();
        } else {
            channel.runPendingTasks();
        }
    }

    /** Hands everything the end wrote, as it is, to {@code other}'s end. */
    void forwardTo(FramePeer other) {
        runTasks();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            other.channel.writeInbound(buf);
        }
    }

    /** Expects exactly one frame (TYPES aside) and returns it. */
    Frame receiveOne() {
        List<Frame> frames = receive();
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    private void define(byte[] body) {
        Input in = new Input(body);
        int first = in.readVarInt(true);
        int count = in.readVarInt(true);
        for (int i = 0; i < count; i++) {
            assertThat(types.define(first + i, WireStrings.read(in), codec.registry())).isNull();
        }
    }

    /** Decodes {@code count} values from what is left of {@code in}. */
    Object[] values(Input in, int count) {
        return codec.read(in, count, session);
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** The peer's view of references: received ids become {@link PeerReference}s. */
    static final class PeerHooks implements ReferenceHooks {
        final List<Long> received = new ArrayList<>();

        @Override
        public long export(Referenceable object) {
            throw new UnsupportedOperationException("the peer exports nothing");
        }

        @Override
        public void unexport(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long remoteIdOf(RemoteReference reference) {
            return ((PeerReference) reference).id;
        }

        @Override
        public RemoteReference importReference(long id) {
            received.add(id);
            return new PeerReference(id);
        }

        @Override
        public Referenceable exportedObject(long id) {
            throw new UnsupportedOperationException("the peer exports nothing");
        }
    }

    /** The peer's proxy: only its id matters here. */
    static final class PeerReference extends StubRemoteReference {
        private final long id;

        PeerReference(long id) {
            this.id = id;
        }

        long id() {
            return id;
        }
    }
}
