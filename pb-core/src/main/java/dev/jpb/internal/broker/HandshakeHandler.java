package dev.jpb.internal.broker;

import dev.jpb.ProtocolException;
import dev.jpb.internal.transport.PipelineConfigurator;
import dev.jpb.internal.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of every channel: sends our {@link Hello}, reads the peer's, and on
 * agreement replaces itself with framing and a {@link Broker}. A peer that is not jpb, speaks
 * another major version or stays silent past the deadline is closed with a logged reason.
 */
final class HandshakeHandler extends ByteToMessageDecoder {
    private final BrokerConfig config;
    private final CompletableFuture<Broker> result;
    private ScheduledFuture<?> timeout; // guarded by the event loop

    HandshakeHandler(BrokerConfig config, CompletableFuture<Broker> result) {
        this.config = config;
        this.result = result;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf hello = ctx.alloc().buffer(Hello.LENGTH);
        new Hello(Hello.MAJOR, Hello.MINOR, Hello.FEATURES, config.limits().maxFrameBytes())
                .writeTo(hello);
        ctx.writeAndFlush(hello);
        long millis = config.handshakeTimeout().toMillis();
        timeout = ctx.executor().schedule(() -> fail(ctx, "no jpb handshake within "
                + millis + " ms"), millis, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (result.isDone()) {
            in.skipBytes(in.readableBytes());
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
        result.complete(broker);
        ctx.pipeline().remove(this); // hands any bytes after the hello to the frame decoder
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (timeout != null) {
            timeout.cancel(false);
        }
        result.completeExceptionally(
                new ProtocolException("connection closed during the jpb handshake"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        if (result.completeExceptionally(new ProtocolException(
                "jpb handshake with " + ctx.channel().remoteAddress() + " failed: " + reason))) {
            Broker.log.warn("closing {}: handshake failed: {}", ctx.channel().remoteAddress(),
                    reason);
        }
        ctx.close();
    }
}
