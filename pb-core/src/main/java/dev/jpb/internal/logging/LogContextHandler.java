package dev.jpb.internal.logging;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.MDC;

/**
 * First in every jpb pipeline: runs each inbound event of the channel (a read, which may
 * carry many frames, its end, the channel's activation and loss, user events, exceptions)
 * with the channel's {@link LogContext} in the MDC, so that whatever the handlers after it
 * log names the connection. A stateless singleton.
 */
@Sharable
public final class LogContextHandler extends ChannelInboundHandlerAdapter {
    /** The handler's name in the pipeline. */
    public static final String NAME = "jpb-log-context";
    /** The one instance. */
    public static final LogContextHandler INSTANCE = new LogContextHandler();

    private LogContextHandler() {
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireChannelActive();
        } finally {
            LogContext.restore(c, r);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireChannelInactive();
        } finally {
            LogContext.restore(c, r);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireChannelRead(msg);
        } finally {
            LogContext.restore(c, r);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireChannelReadComplete();
        } finally {
            LogContext.restore(c, r);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireUserEventTriggered(evt);
        } finally {
            LogContext.restore(c, r);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String c = MDC.get(LogContext.CONNECTION);
        String r = MDC.get(LogContext.REMOTE);
        LogContext.of(ctx.channel()).enter();
        try {
            ctx.fireExceptionCaught(cause);
        } finally {
            LogContext.restore(c, r);
        }
    }
}
