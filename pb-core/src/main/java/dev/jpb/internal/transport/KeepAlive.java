package dev.jpb.internal.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keepalive (docs/protocol.md §14.3): notes when the peer last sent anything, sends it a PING
 * once it has been silent for an interval, and closes the connection once it has been silent
 * for {@value #SILENT_INTERVALS} intervals, so that its pending calls fail with {@link
 * dev.jpb.ConnectionLostException}. Any bytes count as a sign of life, a PONG or a slowly
 * arriving large frame as much as a call. Sits below the frame decoder; one per channel, all
 * its state on the event loop.
 */
public final class KeepAlive extends ChannelDuplexHandler {
    /** Intervals of silence after which the peer is dropped. */
    public static final int SILENT_INTERVALS = 3;
    private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);
    private static final byte[] PING = {0, 0, 0, 1, 15}; // frame of 1 byte: PING (kind 15)

    private final long intervalNanos;
    private long lastRead; // guarded by the event loop
    private long lastPing; // guarded by the event loop
    private ScheduledFuture<?> ticks; // guarded by the event loop

    private KeepAlive(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Installs keepalive before the frame decoder, if {@code interval} is set and the peer
     * takes PING ({@code peerTakesPing}: its hello announced feature bit 2). A peer that does
     * not is never pinged, nor dropped for silence (it may be idle by design).
     */
    public static void install(ChannelPipeline pipeline, Duration interval,
            boolean peerTakesPing) {
        if (interval == null) {
            return;
        }
        if (!peerTakesPing) {
            log.info("{}: keepalive off for this connection: the peer does not take PING"
                    + " (an older jpb)", pipeline.channel().remoteAddress());
            return;
        }
        pipeline.addBefore(PipelineConfigurator.FRAMES, PipelineConfigurator.KEEPALIVE,
                new KeepAlive(interval));
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRead = System.nanoTime();
        lastPing = lastRead;
        // Ticks at half the interval: a silent peer is dropped within 3 to 3.5 intervals.
        long tick = Math.max(1, intervalNanos / 2);
        ticks = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), tick, tick,
                TimeUnit.NANOSECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastRead = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    private void stop() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    private void tick(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            stop();
            return;
        }
        long now = System.nanoTime();
        long silent = now - lastRead;
        if (silent >= SILENT_INTERVALS * intervalNanos) {
            log.warn("{}: closing: the peer said nothing for {} ms ({} keepalive intervals of"
                    + " {}); its pending calls fail with ConnectionLostException",
                    ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(silent),
                    SILENT_INTERVALS, Duration.ofNanos(intervalNanos));
            stop();
            ctx.channel().close();
            return;
        }
        if (silent >= intervalNanos && now - lastPing >= intervalNanos) {
            lastPing = now;
            ByteBuf ping = ctx.alloc().buffer(PING.length).writeBytes(PING);
            ctx.writeAndFlush(ping, ctx.voidPromise());
        }
    }
}
