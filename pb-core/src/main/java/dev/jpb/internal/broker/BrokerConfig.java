package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Limits;
import dev.jpb.Root;
import dev.jpb.internal.cache.CacheFactories;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.ValueCodec;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;

/**
 * What every broker of one end shares: the codec (allow-list), limits, the executor user code
 * runs on, the root it exposes (or null), whether it sends stack traces, and the handshake
 * deadline.
 */
public record BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
        boolean sendStackTraces, Duration handshakeTimeout, CacheFactories caches) {
    /** Checks the components. */
    public BrokerConfig {
        requireNonNull(caches, "caches");
        requireNonNull(codec, "codec");
        requireNonNull(limits, "limits");
        requireNonNull(executor, "executor");
        requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /** A configuration with only the built-in copy factories. */
    public BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
            boolean sendStackTraces, Duration handshakeTimeout) {
        this(codec, limits, executor, root, sendStackTraces, handshakeTimeout,
                CacheFactories.builtIn());
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
