package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Limits;
import dev.jpb.Root;
import dev.jpb.internal.cache.CacheFactories;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.wire.Hello;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Executor;

/**
 * What every broker of one end shares: the codec (allow-list), limits, the executor user code
 * runs on, the root it exposes (or null), whether it sends stack traces, the handshake
 * deadline and the keepalive interval (null: off).
 */
public record BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
        boolean sendStackTraces, Duration handshakeTimeout, LoginService login,
        Duration keepAlive, CacheFactories caches) {
    /** Checks the components; {@code root}, {@code login} and {@code keepAlive} may be null. */
    public BrokerConfig {
        requireNonNull(caches, "caches");
        requireNonNull(codec, "codec");
        requireNonNull(limits, "limits");
        requireNonNull(executor, "executor");
        requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /** A configuration that serves no login, sends no keepalive, knows the built-in copies. */
    public BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
            boolean sendStackTraces, Duration handshakeTimeout) {
        this(codec, limits, executor, root, sendStackTraces, handshakeTimeout, null, null,
                CacheFactories.builtIn());
    }

    /** A configuration without keepalive that knows the built-in copies. */
    public BrokerConfig(ValueCodec codec, Limits limits, Executor executor, Root root,
            boolean sendStackTraces, Duration handshakeTimeout, LoginService login) {
        this(codec, limits, executor, root, sendStackTraces, handshakeTimeout, login, null,
                CacheFactories.builtIn());
    }

    /** Returns the feature bits this end's hello sends (docs/protocol.md §2, §13.2). */
    public int features() {
        return Hello.FEATURES | (login != null ? Hello.FEATURE_LOGIN : 0);
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
