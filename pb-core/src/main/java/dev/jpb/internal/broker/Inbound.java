package dev.jpb.internal.broker;

import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The broker's handler, last in the pipeline: hands each frame body to {@link Broker#handle}
 * on the event loop. A frame whose header cannot be read closes the connection; everything
 * else (values that cannot be decoded, violations) is the broker's business.
 */
final class Inbound extends ChannelInboundHandlerAdapter {
    private final Broker broker;

    Inbound(Broker broker) {
        this.broker = broker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (!ctx.channel().isActive()) {
            frame.release(); // closing already: the rest of this read is moot
            return;
        }
        broker.readTime.frameRead();
        try {
            broker.handle(frame);
        } catch (ProtocolException | IndexOutOfBoundsException e) {
            Broker.log.warn("{}: closing: undecodable frame: {}", broker, e.toString());
            broker.metrics.violation("undecodable frame");
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        broker.readTime.readComplete();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        broker.outboundLimit.writabilityChanged();
        broker.gate.writabilityChanged(); // held calls start once answers can be written
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broker.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            Broker.log.debug("{}: I/O error: {}", broker, cause.toString());
        } else {
            Broker.log.warn("{}: closing: {}", broker, cause.toString());
        }
        ctx.close();
    }
}
