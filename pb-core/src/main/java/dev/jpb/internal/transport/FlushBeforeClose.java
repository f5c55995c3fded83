package dev.jpb.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

/**
 * Sits just above the {@link io.netty.handler.ssl.SslHandler} and flushes before a close or
 * disconnect passes down to it. The broker's outbox may hold a flush back for a few
 * microseconds to share one TLS record among several messages, and the SslHandler seals no
 * more application data once it starts closing: without this, an answer written just before a
 * close (a failed login's error before the connection is dropped) would be lost. Stateless and
 * shared.
 */
@ChannelHandler.Sharable
final class FlushBeforeClose extends ChannelOutboundHandlerAdapter {
    static final FlushBeforeClose INSTANCE = new FlushBeforeClose();

    private FlushBeforeClose() {
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.flush();
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.flush();
        ctx.disconnect(promise);
    }
}
