package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Limits;
import dev.jpb.ProtocolException;
import dev.jpb.Root;
import dev.jpb.internal.wire.Hello;
import dev.jpb.internal.wire.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HandshakeHandlerTest {
    private final FramePeer peer = new FramePeer(new Root(),
            Limits.builder().maxFrameBytes(64 * 1024).build());

    @AfterEach
    void close() {
        peer.close();
    }

    private static ByteBuf hello(int major, int maxFrameBytes) {
        ByteBuf buf = Unpooled.buffer(Hello.LENGTH);
        new Hello(major, Hello.MINOR, 0, maxFrameBytes).writeTo(buf);
        return buf;
    }

    private ThrowableAssert<Throwable> assertHandshakeFailure() {
        assertThat(peer.handshake).isCompletedExceptionally();
        Throwable t = peer.handshake.handle((b, e) -> e).join();
        return new ThrowableAssert<>(t instanceof CompletionException ? t.getCause() : t);
    }

    @Test
    void helloIsWrittenOnActivation() {
        ByteBuf buf = peer.channel.readOutbound();
        try {
            assertThat(buf.readableBytes()).isEqualTo(16);
            assertThat(buf.getInt(0)).isEqualTo(Hello.MAGIC);
            assertThat(buf.getUnsignedShort(4)).isEqualTo(Hello.MAJOR);
            assertThat(buf.getUnsignedShort(6)).isEqualTo(Hello.MINOR);
            assertThat(buf.getInt(12)).isEqualTo(64 * 1024);
        } finally {
            buf.release();
        }
        assertThat(peer.handshake).isNotDone();
        assertThat(peer.channel.pipeline().names()).contains("jpb-handshake");
    }

    @Test
    void garbageClosesTheChannelAndFailsTheHandshake() {
        peer.readHello();

        peer.channel.writeInbound(
                Unpooled.copiedBuffer("GET / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));

        assertThat(peer.channel.isOpen()).isFalse();
        assertHandshakeFailure().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("not a jpb endpoint")
                .hasMessageContaining("'GET / HT'");
    }

    @Test
    void anotherMajorVersionClosesTheChannelAndFailsTheHandshake() {
        peer.readHello();

        peer.channel.writeInbound(hello(Hello.MAJOR + 1, 65536));

        assertThat(peer.channel.isOpen()).isFalse();
        assertHandshakeFailure().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("upgrade the older end");
    }

    @Test
    void aPeerAcceptingTooSmallFramesIsRefused() {
        peer.readHello();

        peer.channel.writeInbound(hello(Hello.MAJOR, 512));

        assertThat(peer.channel.isOpen()).isFalse();
        assertHandshakeFailure().hasMessageContaining("maxFrameBytes 512");
    }

    @Test
    void aHelloInPiecesIsAwaited() {
        peer.readHello();
        ByteBuf whole = hello(Hello.MAJOR, 65536);
        ByteBuf first = whole.readRetainedSlice(10);

        peer.channel.writeInbound(first);
        assertThat(peer.handshake).isNotDone();
        assertThat(peer.channel.isOpen()).isTrue();

        peer.channel.writeInbound(whole);
        assertThat(peer.handshake).isCompleted();
    }

    @Test
    void aValidHelloInstallsFramingAndTheBroker() {
        Broker broker = peer.connect();

        assertThat(peer.channel.pipeline().names())
                .contains("jpb-frames", "jpb-broker")
                .doesNotContain("jpb-handshake");
        assertThat(peer.channel.pipeline().get("jpb-broker")).isInstanceOf(Inbound.class);
        assertThat(broker.isOpen()).isTrue();
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void bytesRightAfterTheHelloReachTheBroker() {
        peer.readHello();
        ByteBuf buf = hello(Hello.MAJOR, 65536);
        buf.writeInt(2).writeByte(MessageKind.ROOT).writeByte(9); // ROOT, request 9

        peer.channel.writeInbound(buf);

        assertThat(peer.handshake).isCompleted();
        FramePeer.Frame answer = peer.receiveOne();
        assertThat(answer.kind()).isEqualTo(MessageKind.ANSWER);
        assertThat(answer.input().readVarLong(true)).isEqualTo(9);
    }

    @Test
    void aSilentPeerIsClosedAfterTheHandshakeTimeout() {
        peer.readHello();

        peer.channel.advanceTimeBy(9, TimeUnit.SECONDS);
        peer.channel.runScheduledPendingTasks();
        assertThat(peer.channel.isOpen()).isTrue();

        peer.channel.advanceTimeBy(2, TimeUnit.SECONDS);
        peer.channel.runScheduledPendingTasks();
        assertThat(peer.channel.isOpen()).isFalse();
        assertHandshakeFailure().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("no jpb handshake within 10000 ms");
    }

    @Test
    void aCompletedHandshakeIsNotTimedOut() {
        peer.connect();

        peer.channel.advanceTimeBy(60, TimeUnit.SECONDS);
        peer.channel.runScheduledPendingTasks();

        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void closingDuringTheHandshakeFailsIt() {
        peer.readHello();

        peer.channel.close();

        assertHandshakeFailure().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("closed during the jpb handshake");
    }
}
