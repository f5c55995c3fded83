package dev.jpb.internal.broker;

import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.internal.tls.TlsDetection;
import dev.jpb.internal.tls.TlsDetection.FirstBytes;
import dev.jpb.internal.tls.TlsFailures;
import dev.jpb.internal.transport.KeepAlive;
import dev.jpb.internal.transport.PipelineConfigurator;
import dev.jpb.internal.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The first handler of every channel (after TLS, when configured): sends our {@link Hello},
 * reads the peer's, and on agreement replaces itself with framing and a {@link Broker}. A peer
 * that is not jpb, speaks another major version or stays silent past the deadline is closed
 * with a logged reason. The deadline covers the TLS handshake too; a TLS failure completes
 * the handshake with the typed error of {@link TlsFailures#translate}. On a plaintext channel,
 * a TLS record from the peer (a TLS client on a plaintext port, or a TLS server's alert to a
 * plaintext client) is refused with the reason {@link TlsDetection} words.
 */
final class HandshakeHandler extends ByteToMessageDecoder {
    private final BrokerConfig config;
    private final CompletableFuture<Broker> result;
    private final Boolean presentsCertificate; // a TLS client's configuration, or null
    private ScheduledFuture<?> timeout; // guarded by the event loop

    HandshakeHandler(BrokerConfig config, CompletableFuture<Broker> result) {
        this(config, result, null);
    }

    /**
     * @param presentsCertificate for a TLS client, whether it was configured to present a
     *     certificate ({@link dev.jpb.internal.tls.TlsContexts#presentsCertificate}); else null
     */
    HandshakeHandler(BrokerConfig config, CompletableFuture<Broker> result,
            Boolean presentsCertificate) {
        this.config = config;
        this.result = result;
        this.presentsCertificate = presentsCertificate;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf hello = ctx.alloc().buffer(Hello.LENGTH);
        new Hello(Hello.MAJOR, Hello.MINOR, config.features(), config.limits().maxFrameBytes())
                .writeTo(hello);
        ctx.writeAndFlush(hello); // with TLS, held by the SslHandler until its handshake is done
        long millis = config.handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> onTimeout(ctx, millis), millis,
                TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    private void onTimeout(ChannelHandlerContext ctx, long millis) {
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && !ssl.handshakeFuture().isDone()) {
            fail(ctx, new TlsHandshakeException("no TLS handshake with "
                    + ctx.channel().remoteAddress() + " within " + millis + " ms; check that"
                    + " the peer serves TLS on that port"), "no TLS handshake within "
                    + millis + " ms");
            return;
        }
        fail(ctx, "no jpb handshake within " + millis + " ms");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (result.isDone()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (ctx.pipeline().get(SslHandler.class) == null
                && TlsDetection.classify(in) == FirstBytes.TLS) {
            in.skipBytes(in.readableBytes());
            refuseTls(ctx);
            return;
        }
        if (TlsDetection.classify(in) == FirstBytes.OTHER) {
            // not a jpb hello, as soon as the first bytes show it (not at the timeout)
            byte[] first = new byte[Math.min(8, in.readableBytes())];
            in.getBytes(in.readerIndex(), first);
            in.skipBytes(in.readableBytes());
            fail(ctx, "peer is not a jpb endpoint (its first bytes were "
                    + Hello.printable(first) + ")");
            return;
        }
        if (in.readableBytes() < Hello.LENGTH) {
            return;
        }
        String[] problem = new String[1];
        Hello peer = Hello.read(in, problem);
        if (peer == null) {
            in.skipBytes(in.readableBytes());
            fail(ctx, problem[0]);
            return;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        Broker broker = new Broker(ctx.channel(), config, peer);
        PipelineConfigurator.afterHandshake(ctx.pipeline(), config.limits().maxFrameBytes(),
                new Inbound(broker));
        KeepAlive.install(ctx.pipeline(), config.keepAlive(),
                (peer.features() & Hello.FEATURE_DEADLINES) != 0);
        result.complete(broker);
        ctx.pipeline().remove(this); // hands any bytes after the hello to the frame decoder
    }

    /** A TLS record on a plaintext channel: the peer speaks TLS and we do not. */
    private void refuseTls(ChannelHandlerContext ctx) {
        boolean server = ctx.channel().parent() != null; // an accepted channel
        if (server) {
            fail(ctx, TlsDetection.refusedOnPlaintextPort(FirstBytes.TLS,
                    ctx.channel().remoteAddress()));
        } else {
            String reason = TlsDetection.clientExpectedPlaintext(FirstBytes.TLS,
                    ctx.channel().remoteAddress());
            fail(ctx, new TlsHandshakeException(reason), reason);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
            failTls(ctx, done.cause());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null && !ssl.handshakeFuture().isDone()) {
            result.completeExceptionally(new TlsHandshakeException("the connection to "
                    + ctx.channel().remoteAddress() + " closed during the TLS handshake"));
        }
        result.completeExceptionally(
                new ProtocolException("connection closed during the jpb handshake"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTls(cause)) {
            failTls(ctx, cause);
        } else {
            fail(ctx, cause.toString());
        }
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException || t instanceof TlsHandshakeException
                    || t instanceof TlsPinMismatchException) {
                return true;
            }
        }
        return false;
    }

    private void failTls(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof ClosedChannelException) {
            // closed under the SslHandler (by ExpectTlsHandler, which said why, or the peer)
            result.completeExceptionally(new TlsHandshakeException("the connection to "
                    + ctx.channel().remoteAddress() + " closed during the TLS handshake",
                    cause));
            ctx.close();
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        PbException error = TlsFailures.translate(cause, peer(ctx),
                ctx.channel().parent() != null, ssl == null ? null : ssl.engine(),
                presentsCertificate);
        fail(ctx, error, error.getMessage());
    }

    /** The peer as {@code host:port}, e.g. {@code 127.0.0.1:7000}. */
    private static String peer(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress a
                ? a.getHostString() + ":" + a.getPort()
                : String.valueOf(ctx.channel().remoteAddress());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        fail(ctx, new ProtocolException(
                "jpb handshake with " + ctx.channel().remoteAddress() + " failed: " + reason),
                reason);
    }

    private void fail(ChannelHandlerContext ctx, PbException error, String reason) {
        if (timeout != null) {
            timeout.cancel(false);
        }
        if (result.completeExceptionally(error)) {
            Broker.log.warn("closing {}: handshake failed: {}", ctx.channel().remoteAddress(),
                    reason);
        }
        ctx.close();
    }
}
