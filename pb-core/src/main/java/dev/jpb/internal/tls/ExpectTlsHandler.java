package dev.jpb.internal.tls;

import dev.jpb.TlsHandshakeException;
import dev.jpb.internal.tls.TlsDetection.FirstBytes;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands in front of the {@link io.netty.handler.ssl.SslHandler} of an end that expects TLS and
 * looks at the peer's first bytes once. A TLS record lets it step aside (the bytes go on to the
 * SslHandler untouched). Anything else is refused with a clear reason instead of the
 * SslHandler's bare "not an SSL/TLS record":
 *
 * <ul>
 *   <li>on a server, the reason is logged; a plaintext jpb client is sent a fatal TLS alert
 *       record first, so its hello reader sees a TLS record and can say "the server speaks
 *       TLS" ({@link TlsDetection#clientExpectedPlaintext}); then the channel is closed;
 *   <li>on a client, a {@link TlsHandshakeException} is fired down the pipeline (before the
 *       SslHandler's own failure from the close), then the channel is closed.
 * </ul>
 *
 * A peer that sends nothing is left to the SslHandler's handshake timeout. One instance per
 * channel (it is a decoder).
 */
public final class ExpectTlsHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(ExpectTlsHandler.class);

    /** A TLS 1.2-framed fatal alert (level 2) "unexpected_message" (10). */
    private static final byte[] FATAL_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0a};

    private final boolean server;

    /**
     * Creates the handler.
     *
     * @param server whether this end is the server (log and alert) or the client (fire the
     *     error)
     */
    public ExpectTlsHandler(boolean server) {
        this.server = server;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        FirstBytes what = TlsDetection.classify(in);
        if (what == FirstBytes.NEED_MORE) {
            return;
        }
        if (what == FirstBytes.TLS) {
            ctx.pipeline().remove(this);
            return;
        }
        in.skipBytes(in.readableBytes());
        if (server) {
            log.warn(TlsDetection.refusedOnTlsPort(what, ctx.channel().remoteAddress()));
            if (what == FirstBytes.JPB_HELLO) {
                ctx.writeAndFlush(ctx.alloc().buffer(FATAL_ALERT.length).writeBytes(FATAL_ALERT))
                        .addListener(ChannelFutureListener.CLOSE);
                return;
            }
        } else {
            ctx.fireExceptionCaught(new TlsHandshakeException(
                    TlsDetection.clientExpectedTls(what, ctx.channel().remoteAddress())));
        }
        ctx.close();
    }
}
