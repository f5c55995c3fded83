package dev.jpb.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes read and written, first in the pipeline (so TLS records and the hello
 * count as they cross the socket); and starts each read's {@link ReadTime}. One per end,
 * shared by its channels.
 */
@Sharable
final class ByteCounter extends ChannelDuplexHandler {
    static final String NAME = "jpb-metrics";

    private final Counter received;
    private final Counter sent;

    ByteCounter(Counter received, Counter sent) {
        this.received = received;
        this.sent = sent;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            received.increment(buf.readableBytes());
        }
        ReadTime time = ctx.channel().attr(ReadTime.KEY).get(); // null before the handshake
        if (time != null) {
            time.socketRead();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            sent.increment(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
