package dev.jpb.internal.metrics;

import dev.jpb.Connection;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * One end's metrics (a server's or a client's), the seam between the broker and a metrics
 * library: {@link #NONE} when the application asked for none, which does nothing and costs
 * nothing (no other implementation is loaded then, so the JIT inlines the empty calls away),
 * or the {@link MicrometerMetrics} of a {@code MeterRegistry}. An end's bootstrap puts it on
 * each channel under {@link #KEY}. Implementations are thread-safe.
 */
public interface BrokerMetrics {
    /** The channel attribute under which an end's metrics travel to its brokers. */
    AttributeKey<BrokerMetrics> KEY = AttributeKey.valueOf("jpb.metrics");

    /** Metrics off. */
    BrokerMetrics NONE = new BrokerMetrics() {
    };

    /** Returns the metrics of the end {@code channel} belongs to, or {@link #NONE}. */
    static BrokerMetrics of(Channel channel) {
        BrokerMetrics metrics = channel.attr(KEY).get();
        return metrics == null ? NONE : metrics;
    }

    /** A new channel of this end: metrics may add their handlers to its pipeline. */
    default void initChannel(Channel channel) {
    }

    /**
     * A connection passed the handshake; returns what counts its traffic until it closes.
     *
     * @param connection the application's view of it (its tables are read by gauges)
     * @param channel its channel (its queued outbound bytes are read by a gauge)
     */
    default ConnectionMetrics opened(Connection connection, Channel channel) {
        return ConnectionMetrics.NONE;
    }

    /**
     * As {@link #opened(Connection, Channel)}, with the connection's cacheables for the cache
     * gauges.
     *
     * @param caches its cacheables both ways
     */
    default ConnectionMetrics opened(Connection connection, Channel channel,
            CacheCounts caches) {
        return opened(connection, channel);
    }
}
