package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Limits;
import dev.jpb.Root;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.ValueCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;

/**
 * What every broker of one end shares: the codec (allow-list), limits, the executor user code
 * runs on, the root it exposes (or null), whether it sends stack traces, the handshake
 * deadline and the keepalive interval (null: off).
 */
public record BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
        boolean sendStackTraces, Duration handshakeTimeout, Duration keepAlive) {
    /** A configuration without keepalive. */
    public BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
            boolean sendStackTraces, Duration handshakeTimeout) {
        this(codec, limits, executor, root, sendStackTraces, handshakeTimeout, null);
    }

    /** Checks the components. */
    public BrokerConfig {
        requireNonNull(codec, "codec");
        requireNonNull(limits, "limits");
        requireNonNull(executor, "executor");
        requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /**
     * Builds the configuration of one end from its builder's settings.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public static BrokerConfig of(Collection<Class<?>> registered, Limits limits,
            Executor executor, Root root, boolean sendStackTraces, Duration handshakeTimeout) {
        ValueCodec codec = new ValueCodec(TypeRegistry.of(registered), limits.maxDepth());
        return new BrokerConfig(codec, limits, executor, root, sendStackTraces, handshakeTimeout);
    }
}
