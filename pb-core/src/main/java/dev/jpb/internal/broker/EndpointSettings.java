package dev.jpb.internal.broker;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.util.concurrent.UncheckedExecutionException;
import dev.jpb.Limits;
import dev.jpb.RemoteCache;
import dev.jpb.Root;
import dev.jpb.internal.cache.CacheFactories;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.login.LoginService;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The settings a server's and a client's builders share, validated as they are set. Mutable,
 * not thread-safe: one builder's scratch state until {@link #toConfig} freezes it.
 */
public final class EndpointSettings {
    /**
     * The codecs made so far, by allow-list and depth limit, shared by every config that asks
     * for the same ones. A codec keeps one Kryo per thread that used it, in a Netty
     * FastThreadLocal that outlives the codec; without sharing, every client connected on a
     * shared event loop group would leave its Kryo (~10 KiB) on the group's threads for good.
     * Bounded so that a process making endless distinct allow-lists cannot grow it forever;
     * it holds the registered classes strongly.
     */
    private static final Cache<CodecKey, ValueCodec> CODECS = CacheBuilder.newBuilder()
            .maximumSize(256).build();

    private final List<Class<?>> registered = new ArrayList<>();
    private Limits limits = Limits.defaults();
    private Executor executor;
    private Root root;
    private boolean sendStackTraces;
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    private SslContext tls; // null: plaintext
    private LoginService login; // null: no login served
    private Object meterRegistry; // a Micrometer MeterRegistry, or null: no metrics
    private boolean local; // the in-process transport instead of TCP
    private Duration keepAlive; // null: off
    private final Map<String, Supplier<? extends RemoteCache>> caches = new LinkedHashMap<>();

    /**
     * Adds classes allowed to cross by copy, checking each at once.
     *
     * @throws IllegalArgumentException if a class cannot travel by copy (nothing is added)
     */
    public void register(Class<?>... types) {
        List<Class<?>> checked = new ArrayList<>();
        for (Class<?> type : requireNonNull(types, "types")) {
            checked.add(requireNonNull(type, "type"));
        }
        TypeRegistry.of(checked); // throws naming the class and why
        registered.addAll(checked);
    }

    /**
     * Registers the factory of the copies this end makes of the peer's cacheables of class
     * {@code typeName} (a binary name, as {@code Class.getName()}).
     *
     * @throws IllegalArgumentException if the name is empty
     */
    public void registerCache(String typeName, Supplier<? extends RemoteCache> copies) {
        requireNonNull(typeName, "typeName");
        requireNonNull(copies, "copies");
        checkArgument(!typeName.isEmpty(), "typeName: \"\" (expected: a binary class name)");
        caches.put(typeName, copies);
    }

    /** Returns the copy factories registered so far with the built-in ones. */
    public CacheFactories caches() {
        return CacheFactories.of(caches);
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

    /** Sets the keepalive interval (see {@code KeepAlive}). */
    public void keepAlive(Duration interval) {
        this.keepAlive = positive(interval, "keepAlive");
    }

    /** Returns the keepalive interval, or null when off. */
    public Duration keepAlive() {
        return keepAlive;
    }

    /** Sets the TLS context of this end (a server's or a client's); null for plaintext. */
    public void tls(SslContext context) {
        this.tls = context;
    }

    /** Returns the TLS context, or null for plaintext. */
    public SslContext tls() {
        return tls;
    }

    /** Sets the login this end serves; null for none. */
    public void login(LoginService login) {
        this.login = login;
    }

    /** Returns the login this end serves, or null. */
    public LoginService login() {
        return login;
    }

    /**
     * Sets the Micrometer {@code MeterRegistry} this end's metrics go to; typed {@code Object}
     * so that nothing here names Micrometer (it is an optional dependency).
     */
    public void meterRegistry(Object registry) {
        this.meterRegistry = requireNonNull(registry, "registry");
    }

    /** Returns the Micrometer registry, or null: no metrics. */
    public Object meterRegistry() {
        return meterRegistry;
    }

    /** Sets whether this end uses the in-process transport (Netty's local channels). */
    public void local(boolean local) {
        this.local = local;
    }

    /** Returns whether this end uses the in-process transport. */
    public boolean local() {
        return local;
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
     * Freezes these settings, with {@code defaultExecutor} if none was set. Configs with the
     * same registered classes (in the same order) and depth limit share one codec.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public BrokerConfig toConfig(Executor defaultExecutor) {
        Executor chosen = executor != null ? executor : defaultExecutor;
        CodecKey key = new CodecKey(List.copyOf(registered), limits.maxDepth());
        ValueCodec codec = CODECS.getIfPresent(key);
        if (codec == null) {
            try {
                codec = CODECS.get(key, () -> BrokerConfig.of(key.registered(), limits, chosen,
                        root, sendStackTraces, handshakeTimeout).codec());
            } catch (ExecutionException | UncheckedExecutionException e) {
                // BrokerConfig.of throws IllegalArgumentException for a class it cannot copy
                throw e.getCause() instanceof RuntimeException re ? re
                        : new IllegalStateException(e.getCause());
            }
        }
        return new BrokerConfig(codec, limits, chosen, root, sendStackTraces, handshakeTimeout,
                login, keepAlive, caches());
    }

    /** What a codec is made of: the registered classes, in order, and the depth limit. */
    private record CodecKey(List<Class<?>> registered, int maxDepth) {
    }
}
