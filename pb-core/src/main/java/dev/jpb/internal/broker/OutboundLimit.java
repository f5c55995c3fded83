package dev.jpb.internal.broker;

import dev.jpb.LimitExceededException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Bounded outbound memory for one connection ({@link dev.jpb.Limits#maxQueuedOutboundBytes()},
 * docs/protocol.md §14.4): Netty's write-buffer watermarks at the limit and half of it. While
 * the channel is over the high mark, new calls fail at once (and calls still queued are refused
 * when their turn to be encoded comes, so the buffer grows by at most one message past the
 * mark); answers, errors and releases are still written. A peer that stays over the mark longer
 * than {@code maxOutboundStall} is disconnected with a logged reason. Thread-safe.
 */
final class OutboundLimit {
    private static final long CHECK_MILLIS = 100;

    private final Broker broker;
    private final Channel channel;
    private final long max;
    private final long stallNanos;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong dropped = new AtomicLong(); // one-way calls refused this stall
    private long unwritableSince; // guarded by the event loop
    private ScheduledFuture<?> check; // guarded by the event loop

    OutboundLimit(Broker broker) {
        this.broker = broker;
        this.channel = broker.channel;
        this.max = broker.config.limits().maxQueuedOutboundBytes();
        this.stallNanos = broker.config.limits().maxOutboundStall().toNanos();
        int high = (int) Math.min(Integer.MAX_VALUE, max);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
    }

    /** Returns why a call must fail at once, or null if the peer keeps up. */
    LimitExceededException refusal(String method) {
        return channel.isWritable() || !channel.isActive() ? null : exceeded(method);
    }

    LimitExceededException exceeded(String method) {
        return new LimitExceededException("remote_" + method + " not sent: " + queuedBytes()
                + " bytes wait to be written to " + channel.remoteAddress()
                + ", more than maxQueuedOutboundBytes (" + max + "); the peer is not reading."
                + " Wait for Connection.isWritable() (onWritabilityChanged), or raise"
                + " Limits.maxQueuedOutboundBytes");
    }

    /** A one-way call was refused: logged once per stall, at its start. */
    void droppedOneWay(String method) {
        if (dropped.getAndIncrement() == 0) {
            Broker.log.warn("{}: callRemoteOnly({}) dropped: more than maxQueuedOutboundBytes"
                    + " ({}) wait to be written; the peer is not reading (later drops are"
                    + " counted, not logged)", broker, method, max);
        }
    }

    /** {@return the bytes encoded and not yet taken by the socket} */
    long queuedBytes() {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    void addListener(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** The channel's writability changed; on the event loop. */
    void writabilityChanged() {
        assert channel.eventLoop().inEventLoop();
        boolean writable = channel.isWritable();
        if (!writable && check == null) {
            unwritableSince = System.nanoTime();
            check = channel.eventLoop().scheduleAtFixedRate(this::checkStall, CHECK_MILLIS,
                    CHECK_MILLIS, TimeUnit.MILLISECONDS);
        } else if (writable && check != null) {
            check.cancel(false);
            check = null;
            long n = dropped.getAndSet(0);
            if (n > 1) {
                Broker.log.info("{}: writable again; {} one-way calls were dropped meanwhile",
                        broker, n);
            }
        }
        for (Consumer<Boolean> listener : listeners) {
            broker.runUserCode(() -> listener.accept(writable), "writability listener");
        }
    }

    private void checkStall() {
        if (channel.isWritable() || !channel.isActive()) {
            return;
        }
        long stalled = System.nanoTime() - unwritableSince;
        if (stalled >= stallNanos) {
            Broker.log.warn("{}: closing: the peer has not read for {} ms while {} bytes wait to"
                    + " be written (maxQueuedOutboundBytes {}, maxOutboundStall {})", broker,
                    TimeUnit.NANOSECONDS.toMillis(stalled), queuedBytes(), max,
                    broker.config.limits().maxOutboundStall());
            channel.close();
        }
    }

    /** The connection is gone; on the event loop. */
    void clear() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
