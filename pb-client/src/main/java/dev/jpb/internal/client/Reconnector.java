package dev.jpb.internal.client;

import static java.util.Objects.requireNonNull;

import dev.jpb.NoSuchObjectException;
import dev.jpb.RemoteReference;
import dev.jpb.client.ConnectionState;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.transport.Endpoint;
import dev.jpb.internal.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reconnecting client's connection loop ({@code PbClient.builder().reconnect}): connects,
 * and whenever the connection is lost connects again after an exponential backoff with full
 * jitter (attempt n waits a uniformly random time in [0, min(maxDelay, initialDelay * 2^n)]),
 * forever until {@link #close()}. On each new connection it runs the after-connect steps in
 * order (the seam where re-login plugs in), then fetches the root and runs the {@code
 * onConnected} listeners with it. References of an old connection stay dead (their calls fail
 * with {@link dev.jpb.DeadReferenceException}). Thread-safe; listeners run on the client's
 * executor, never on an event loop.
 */
public final class Reconnector {
    private static final Logger log = LoggerFactory.getLogger(Reconnector.class);

    private final Endpoint endpoint;
    private final String host;
    private final int port;
    private final long initialNanos;
    private final long maxNanos;
    private final BiConsumer<Broker, Channel> onBroker; // the client's current broker
    // Listeners run one at a time, in the order of the events (a queue drained on the executor).
    private final java.util.Queue<Runnable> callbacks =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean draining =
            new java.util.concurrent.atomic.AtomicBoolean();
    private final List<Consumer<? super RemoteReference>> connectedListeners =
            new ArrayList<>(); // guarded by this
    private final List<Consumer<? super ConnectionState>> stateListeners =
            new CopyOnWriteArrayList<>();
    private final List<Function<Broker, CompletableFuture<?>>> afterConnect =
            new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> firstAttempt = new CompletableFuture<>();
    private ConnectionState state = ConnectionState.CONNECTING; // guarded by this
    private RemoteReference root; // the current connection's root, or null; guarded by this
    private Broker current; // guarded by this
    private CompletableFuture<RemoteReference> nextRoot = new CompletableFuture<>(); // this
    private int attempt; // guarded by this
    private boolean closed; // guarded by this
    private ScheduledFuture<?> retry; // guarded by this
    private EventLoopGroup group; // guarded by this: where retries are scheduled

    /**
     * Makes the loop; {@link #start()} begins it. {@code onBroker} hears of each new
     * connection (on an event loop: it must only store it).
     */
    public Reconnector(Endpoint endpoint, String host, int port, Duration initialDelay,
            Duration maxDelay, BiConsumer<Broker, Channel> onBroker) {
        this.endpoint = requireNonNull(endpoint, "endpoint");
        this.host = requireNonNull(host, "host");
        this.port = port;
        this.initialNanos = initialDelay.toNanos();
        this.maxNanos = maxDelay.toNanos();
        this.onBroker = requireNonNull(onBroker, "onBroker");
    }

    /** Starts connecting; returns at once. */
    public void start() {
        attemptNow();
    }

    /** Waits up to {@code timeout} for the first attempt to succeed or fail. */
    public void awaitFirstAttempt(Duration timeout) {
        try {
            firstAttempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // still connecting, or failed: retries go on in the background
        }
    }

    /**
     * Adds a step run on every connection made from now on, in the order added, before the
     * root is fetched and the {@code onConnected} listeners run; the next step (and the
     * listeners) wait for its future. A failed step closes that connection (a retry follows).
     * This is where a client logs in again after reconnecting.
     */
    public void addAfterConnect(Function<Broker, CompletableFuture<?>> step) {
        afterConnect.add(requireNonNull(step, "step"));
    }

    /** Runs {@code listener} with the root of every connection; now too, if connected. */
    public void onConnected(Consumer<? super RemoteReference> listener) {
        requireNonNull(listener, "listener");
        RemoteReference now;
        boolean connected;
        synchronized (this) {
            connectedListeners.add(listener);
            connected = state == ConnectionState.CONNECTED;
            now = root; // null too when the server exposes no root
        }
        if (connected) {
            runUserCode(() -> listener.accept(now), "onConnected listener");
        }
    }

    /** Runs {@code listener} with every later state change. */
    public void onStateChange(Consumer<? super ConnectionState> listener) {
        stateListeners.add(requireNonNull(listener, "listener"));
    }

    /** {@return the state now} */
    public synchronized ConnectionState state() {
        return state;
    }

    /**
     * Returns the current connection's root, or, while disconnected, a future completed with
     * the root of the next connection (failed if the client is closed first).
     */
    public CompletableFuture<RemoteReference> rootObject() {
        Broker b;
        CompletableFuture<RemoteReference> next;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new dev.jpb.DeadReferenceException(
                        "the client is closed"));
            }
            b = state == ConnectionState.CONNECTED ? current : null;
            next = nextRoot;
        }
        return b != null ? b.rootObject() : next.thenApply(r -> r);
    }

    /** Stops reconnecting and closes the current connection. Idempotent. */
    public void close() {
        Broker b;
        CompletableFuture<RemoteReference> next;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (retry != null) {
                retry.cancel(false);
            }
            b = current;
            next = nextRoot;
        }
        next.completeExceptionally(new dev.jpb.DeadReferenceException("the client is closed"));
        firstAttempt.complete(null);
        if (b != null) {
            b.close();
        }
        setState(ConnectionState.DISCONNECTED);
    }

    private void attemptNow() {
        CompletableFuture<Broker> handshake = new CompletableFuture<>();
        Bootstrap bootstrap;
        synchronized (this) {
            if (closed) {
                return;
            }
            try {
                bootstrap = endpoint.clientBootstrap((ch, f) -> f.whenComplete((b, t) -> {
                    if (t != null) {
                        handshake.completeExceptionally(t);
                    } else {
                        handshake.complete(b);
                    }
                }), host, port);
            } catch (IllegalStateException e) {
                return; // the endpoint is shut down: the client is closing
            }
            group = bootstrap.config().group();
        }
        setState(ConnectionState.CONNECTING);
        io.netty.channel.ChannelFuture connecting = bootstrap.connect(host, port);
        connecting.addListener(cf -> {
            if (!cf.isSuccess()) {
                handshake.completeExceptionally(cf.cause());
            }
        });
        handshake.whenComplete((broker, t) -> {
            if (t != null) {
                log.info("cannot connect to {}:{} ({}); retrying", host, port, t.toString());
                connecting.channel().close();
                firstAttempt.complete(null);
                scheduleRetry();
            } else {
                connected(broker, connecting.channel());
            }
        });
    }

    private void connected(Broker broker, Channel channel) {
        synchronized (this) {
            if (closed) {
                broker.close();
                return;
            }
            current = broker;
            attempt = 0;
        }
        onBroker.accept(broker, channel);
        broker.closeFuture().whenComplete((v, t) -> lost(broker));
        CompletableFuture<?> steps = CompletableFuture.completedFuture(null);
        for (Function<Broker, CompletableFuture<?>> step : afterConnect) {
            steps = steps.thenCompose(x -> step.apply(broker));
        }
        steps.thenCompose(x -> broker.rootObject()).whenComplete((r, t) -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null
                    ? t.getCause() : t;
            if (cause instanceof NoSuchObjectException) {
                // A server that exposes no root (login only): connected all the same.
                ready(broker, null, cause);
                return;
            }
            if (t != null) {
                log.warn("connected to {}:{}, but setting up the connection failed; closing it"
                        + " and retrying", host, port, t);
                firstAttempt.complete(null);
                broker.close();
                return;
            }
            ready(broker, r, null);
        });
    }

    private void ready(Broker broker, RemoteReference r, Throwable noRoot) {
        List<Consumer<? super RemoteReference>> listeners;
        CompletableFuture<RemoteReference> next;
        synchronized (this) {
            if (closed || current != broker || !broker.connection().isOpen()) {
                return;
            }
            root = r;
            listeners = List.copyOf(connectedListeners);
            next = nextRoot;
        }
        setState(ConnectionState.CONNECTED);
        firstAttempt.complete(null);
        if (noRoot != null) {
            next.completeExceptionally(noRoot);
        } else {
            next.complete(r);
        }
        for (Consumer<? super RemoteReference> listener : listeners) {
            runUserCode(() -> listener.accept(r), "onConnected listener");
        }
    }

    private void lost(Broker broker) {
        synchronized (this) {
            if (current != broker) {
                return;
            }
            current = null;
            root = null;
            if (nextRoot.isDone()) {
                nextRoot = new CompletableFuture<>();
            }
            if (closed) {
                return;
            }
        }
        log.info("lost the connection to {}:{}; reconnecting", host, port);
        setState(ConnectionState.DISCONNECTED);
        scheduleRetry();
    }

    private void scheduleRetry() {
        synchronized (this) {
            if (closed) {
                return;
            }
            long cap = cap(initialNanos, maxNanos, attempt);
            attempt++;
            long delay = ThreadLocalRandom.current().nextLong(cap + 1); // full jitter
            try {
                retry = group.next().schedule(this::attemptNow, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                log.debug("event loop stopped; not reconnecting");
            }
        }
    }

    /** Returns the delay cap of retry {@code n} (from 0): min(max, initial * 2^n). */
    public static long cap(long initialNanos, long maxNanos, int n) {
        long cap = initialNanos;
        for (int i = 0; i < n && cap < maxNanos; i++) {
            cap = cap > maxNanos / 2 ? maxNanos : cap * 2;
        }
        return Math.min(cap, maxNanos);
    }

    private void setState(ConnectionState next) {
        synchronized (this) {
            if (state == next || closed && next != ConnectionState.DISCONNECTED) {
                return;
            }
            state = next;
        }
        for (Consumer<? super ConnectionState> listener : stateListeners) {
            runUserCode(() -> listener.accept(next), "connection state listener");
        }
    }

    /** Queues a listener call; they run one at a time, in order, on the executor. */
    private void runUserCode(Runnable task, String what) {
        callbacks.add(() -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("{} threw", what, t);
            }
        });
        if (draining.compareAndSet(false, true)) {
            Executor executor = endpoint.config().executor();
            try {
                executor.execute(this::drainCallbacks);
            } catch (RejectedExecutionException e) {
                Transport.fallbackExecutor().execute(this::drainCallbacks);
            }
        }
    }

    private void drainCallbacks() {
        do {
            Runnable r;
            while ((r = callbacks.poll()) != null) {
                r.run();
            }
            draining.set(false);
        } while (!callbacks.isEmpty() && draining.compareAndSet(false, true));
    }
}
