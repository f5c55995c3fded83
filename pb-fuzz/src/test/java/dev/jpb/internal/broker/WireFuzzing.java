package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.Referenceable;
import dev.jpb.Root;
import dev.jpb.internal.fuzz.FuzzChecks;
import dev.jpb.internal.wire.FrameCodec;
import dev.jpb.internal.wire.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * What the wire fuzz targets share: a jpb end on an {@link io.netty.channel.embedded
 * .EmbeddedChannel} with the real pipeline ({@link PbChannelInitializer}, handshake, framing,
 * {@link Broker}), whose buffers come from an allocator that counts them, and a guard around
 * the broker's handler that records every exception reaching it.
 */
final class WireFuzzing implements AutoCloseable {
    /** The counting allocator: see {@link FuzzChecks#ALLOC}. */
    static final PooledByteBufAllocator ALLOC = FuzzChecks.ALLOC;

    static final Limits LIMITS = Limits.builder().maxFrameBytes(64 * 1024).build();

    /** The root the fuzzed end serves: copies, references, exceptions. */
    public static class FuzzRoot extends Root {
        public String remote_echo(String s) {
            return s;
        }

        public int remote_add(int a, int b) {
            return a + b;
        }

        public Object remote_identity(Object o) {
            return o;
        }

        public int remote_size(List<Object> list) {
            return list.size();
        }

        public Child remote_child() {
            return new Child();
        }

        public void remote_fail() {
            throw new IllegalStateException("fails on purpose");
        }
    }

    /** An object the root hands out by reference. */
    public static class Child extends Referenceable {
        public String remote_ping() {
            return "pong";
        }
    }

    final FramePeer peer;
    final List<Throwable> escaped = new ArrayList<>();
    final List<FramePeer.Frame> sent = new ArrayList<>();

    WireFuzzing() {
        assertThat(liveAllocations()).as("buffers live before the input").isZero();
        peer = new FramePeer(new FuzzRoot(), LIMITS);
        peer.channel.config().setAllocator(ALLOC);
    }

    /** Sends {@code bytes} as they are, in a buffer of the counting allocator. */
    void write(byte[] bytes, int from, int to) {
        ByteBuf buf = ALLOC.heapBuffer(Math.max(1, to - from));
        buf.writeBytes(bytes, from, to - from);
        peer.channel.writeInbound(buf);
        drain();
    }

    /** Sends one frame: a 4-byte length prefix, then {@code body}. */
    void frame(byte[] bytes, int from, int to) {
        ByteBuf buf = ALLOC.heapBuffer(4 + to - from);
        buf.writeInt(to - from).writeBytes(bytes, from, to - from);
        peer.channel.writeInbound(buf);
        drain();
    }

    /** Puts the guard in the broker handler's place; call once the handshake is done. */
    void guard() {
        Inbound inbound = (Inbound) peer.channel.pipeline().get("jpb-broker");
        peer.channel.pipeline().replace("jpb-broker", "jpb-broker", new Guard(inbound));
    }

    /** Runs the end's tasks and keeps what it wrote, checking each frame parses. */
    void drain() {
        for (FramePeer.Frame f : peer.receive()) {
            assertThat(f.kind()).as("kind of a frame the end sent")
                    .isIn(MessageKind.ANSWER, MessageKind.ERROR, MessageKind.DECREF,
                            MessageKind.PONG); // a PONG answers the peer's PING (§14)
            ByteBuf body = io.netty.buffer.Unpooled.buffer(1 + f.body().length);
            body.writeByte(f.kind()).writeBytes(f.body());
            FrameCodec.read(body); // a ProtocolException here is a finding
            sent.add(f);
        }
    }

    /** Checks that only documented exceptions reached the broker's handler. */
    void checkEscaped() {
        for (Throwable t : escaped) {
            boolean framing = t instanceof DecoderException
                    && (t instanceof TooLongFrameException || t instanceof CorruptedFrameException);
            if (!(t instanceof PbException) && !framing) {
                throw new AssertionError("undocumented exception reached the broker: " + t, t);
            }
        }
    }

    /** Checks a failed handshake failed with a typed refusal and closed the channel. */
    void checkHandshakeOutcome() {
        if (peer.handshake.isCompletedExceptionally()) {
            Throwable t = peer.handshake.handle((b, e) -> e).join();
            Throwable cause = t instanceof CompletionException ? t.getCause() : t;
            // A TLS record on a plaintext port is refused with its own typed error.
            assertThat(cause).isInstanceOfAny(ProtocolException.class,
                    TlsHandshakeException.class);
            assertThat(peer.channel.isOpen()).isFalse();
        }
    }

    static long liveAllocations() {
        return FuzzChecks.liveAllocations();
    }

    /** Closes the channel, releasing what it holds, and checks no buffer is left. */
    @Override
    public void close() {
        peer.close();
        checkEscaped();
        assertThat(liveAllocations()).as("buffers leaked by the input").isZero();
    }

    /** Delegates to the broker's handler, recording what it throws or is told about. */
    private final class Guard extends ChannelInboundHandlerAdapter {
        private final Inbound inbound;

        Guard(Inbound inbound) {
            this.inbound = inbound;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                inbound.channelRead(ctx, msg);
            } catch (RuntimeException | Error e) {
                escaped.add(e);
                throw e;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            inbound.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!escaped.contains(cause)) {
                escaped.add(cause);
            }
            inbound.exceptionCaught(ctx, cause);
        }
    }
}
