package dev.jpb.internal.broker;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Limits;
import dev.jpb.Root;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * The settings a server's and a client's builders share, validated as they are set. Mutable,
 * not thread-safe: one builder's scratch state until {@link #toConfig} freezes it.
 */
public final class EndpointSettings {
    private final List<Class<?>> registered = new ArrayList<>();
    private Limits limits = Limits.defaults();
    private Executor executor;
    private Root root;
    private boolean sendStackTraces;
    private Duration handshakeTimeout = Duration.ofSeconds(10);

    /** Adds classes allowed to cross by copy. */
    public void register(Class<?>... types) {
        for (Class<?> type : requireNonNull(types, "types")) {
            registered.add(requireNonNull(type, "type"));
        }
    }

    /** Sets the limits. */
    public void limits(Limits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** Sets the (not owned) executor for application code. */
    public void executor(Executor executor) {
        this.executor = requireNonNull(executor, "executor");
    }

    /** Returns the executor set, or null for the default. */
    public Executor executor() {
        return executor;
    }

    /** Sets the root this end exposes. */
    public void root(Root root) {
        this.root = requireNonNull(root, "root");
    }

    /** Returns the root, or null. */
    public Root root() {
        return root;
    }

    /** Sets whether errors carry stack traces. */
    public void sendStackTraces(boolean sendStackTraces) {
        this.sendStackTraces = sendStackTraces;
    }

    /** Sets the handshake deadline. */
    public void handshakeTimeout(Duration timeout) {
        this.handshakeTimeout = positive(timeout, "handshakeTimeout");
    }

    /** Returns the handshake deadline. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * Checks that {@code d} is a positive duration and returns it.
     *
     * @throws IllegalArgumentException if zero or negative
     */
    public static Duration positive(Duration d, String name) {
        requireNonNull(d, name);
        checkArgument(!d.isNegative() && !d.isZero(), "%s: %s (expected: > 0)", name, d);
        return d;
    }

    /**
     * Freezes these settings, with {@code defaultExecutor} if none was set.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public BrokerConfig toConfig(Executor defaultExecutor) {
        return BrokerConfig.of(registered, limits, executor != null ? executor : defaultExecutor,
                root, sendStackTraces, handshakeTimeout);
    }
}
