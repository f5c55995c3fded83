package dev.jpb.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.TlsHandshakeException;
import dev.jpb.internal.tls.TlsDetection.FirstBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TlsDetectionTest {
    private static final byte[] HELLO = {'J', 'P', 'B', '!', 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
    private static final byte[] CLIENT_HELLO_HEADER = {0x16, 0x03, 0x01, 0x00, (byte) 0xf4};

    private static FirstBytes classify(byte[] bytes) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        try {
            FirstBytes what = TlsDetection.classify(buf);
            assertThat(buf.readerIndex()).isZero(); // nothing consumed
            return what;
        } finally {
            buf.release();
        }
    }

    private static FirstBytes classify(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return classify(bytes);
    }

    @Test
    void tellsTlsRecordsJpbHellosAndGarbageApart() {
        assertThat(classify(CLIENT_HELLO_HEADER)).isEqualTo(FirstBytes.TLS);
        assertThat(classify(0x15, 0x03, 0x03, 0x00, 0x02)).isEqualTo(FirstBytes.TLS); // alert
        assertThat(classify(HELLO)).isEqualTo(FirstBytes.JPB_HELLO);
        assertThat(classify('J', 'P', 'B', '!')).isEqualTo(FirstBytes.JPB_HELLO);
        assertThat(classify('G', 'E', 'T', ' ', '/')).isEqualTo(FirstBytes.OTHER);
        assertThat(classify(0x16, 0x07, 0x01, 0x00, 0x10)).isEqualTo(FirstBytes.OTHER);
    }

    @Test
    void waitsWhileAPrefixCouldStillBeEither() {
        assertThat(classify()).isEqualTo(FirstBytes.NEED_MORE);
        assertThat(classify(0x16)).isEqualTo(FirstBytes.NEED_MORE);
        assertThat(classify(0x16, 0x03, 0x01)).isEqualTo(FirstBytes.NEED_MORE);
        assertThat(classify('J', 'P')).isEqualTo(FirstBytes.NEED_MORE);
        assertThat(classify('J', 'X')).isEqualTo(FirstBytes.OTHER);
        assertThat(classify('G')).isEqualTo(FirstBytes.OTHER);
        assertThat(classify(0x16, 0x04)).isEqualTo(FirstBytes.OTHER);
    }

    @Test
    void guardStepsAsideForTlsAndPassesTheBytesOnUntouched() {
        List<ByteBuf> passed = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ExpectTlsHandler(true),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        passed.add((ByteBuf) msg);
                    }
                });

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03}));
        assertThat(passed).isEmpty(); // too few bytes to tell
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01, 0x00, 0x05, 1, 2, 3, 4, 5}));

        assertThat(ch.pipeline().get(ExpectTlsHandler.class)).isNull();
        ByteBuf all = Unpooled.buffer();
        passed.forEach(b -> {
            all.writeBytes(b);
            b.release();
        });
        assertThat(all.readableBytes()).isEqualTo(10);
        assertThat(all.getByte(0)).isEqualTo((byte) 0x16);
        all.release();
        assertThat(ch.isActive()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void clientGuardFiresATypedErrorAndClosesOnAPlaintextHello() {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ExpectTlsHandler(false),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                });

        ch.writeInbound(Unpooled.wrappedBuffer(HELLO));

        assertThat(errors).singleElement().isInstanceOf(TlsHandshakeException.class)
                .extracting(Throwable::getMessage).asString().contains("plaintext jpb");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void serverGuardAnswersAPlaintextHelloWithAFatalAlertAndCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new ExpectTlsHandler(true));

        ch.writeInbound(Unpooled.wrappedBuffer(HELLO));

        ByteBuf alert = ch.readOutbound();
        assertThat(alert.readableBytes()).isEqualTo(7);
        assertThat(alert.getByte(0)).isEqualTo((byte) 0x15);
        assertThat(alert.getByte(5)).isEqualTo((byte) 2); // fatal
        alert.release();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }
}
