package dev.jpb.client;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.TlsConfigurationException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.broker.EndpointSettings;
import dev.jpb.internal.client.Reconnector;
import dev.jpb.internal.login.ScramClientExchange;
import dev.jpb.internal.tls.Pem;
import dev.jpb.internal.tls.TlsContexts;
import dev.jpb.internal.transport.Endpoint;
import dev.jpb.internal.transport.Transport;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to a jpb server (PB's {@code PBClientFactory}).
 *
 * <pre>{@code
 * try (PbClient client = PbClient.connect("127.0.0.1", port)) {
 *     RemoteReference root = client.getRootObject().get();
 *     int sum = root.<Integer>callRemote("add", 1, 2).get();
 * }
 * }</pre>
 *
 * <p>By default each client makes its own I/O thread and its own pool for callbacks; many
 * clients in one process can share both instead, through {@link Builder#eventLoopGroup} and
 * {@link Builder#executor}.
 *
 * <p>Over TLS, the server is authenticated by a pinned fingerprint
 * ({@link Builder#pinServer}) or by certificate authorities ({@link Builder#trustCertificates});
 * {@link #serverFingerprint()} tells which certificate it presented.
 *
 * <p>Thread-safe. {@link #close()} is graceful and idempotent: pending calls fail with
 * {@link dev.jpb.ConnectionLostException} and the threads the client made stop; an event loop
 * group or executor the caller passed in is left running.
 */
public final class PbClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PbClient.class);
    private static final long CLOSE_SECONDS = 5;
    private static final int LOCAL_PORT = 1; // any valid port: in-process addresses have none

    // The current connection's broker: set once, or by the reconnector on each connection
    // (null until the first one).
    private volatile Broker broker;
    private final Endpoint endpoint;
    private volatile String serverFingerprint; // null: plaintext; per connection
    private final Reconnector reconnector; // null unless reconnecting
    // The last successful login, for logging in again after a reconnect (SavedLogin.loginAgain).
    private final AtomicReference<SavedLogin> savedLogin = new AtomicReference<>();
    private final List<Consumer<? super RemoteReference>> loginListeners =
            new CopyOnWriteArrayList<>();
    // The current session's perspective, held so that a caller who drops it is not logged
    // out at the next garbage collection (an unreachable RemoteReference is released, and a
    // released perspective ends its session): logout(), release(), a later login or the
    // connection's end end it.
    private volatile RemoteReference perspective;

    private PbClient(Broker broker, Endpoint endpoint, String serverFingerprint) {
        this.broker = broker;
        this.endpoint = endpoint;
        this.serverFingerprint = serverFingerprint;
        this.reconnector = null;
    }

    /** A reconnecting client: {@link Reconnector} connects it, now and after every loss. */
    private PbClient(Endpoint endpoint, String host, int port, Duration initialDelay,
            Duration maxDelay) {
        this.endpoint = endpoint;
        this.reconnector = new Reconnector(endpoint, host, port, initialDelay, maxDelay,
                this::connected);
        reconnector.addAfterConnect(this::loginAfterReconnect);
    }

    private void connected(Broker b, Channel channel) {
        serverFingerprint = Builder.serverFingerprint(channel);
        broker = b;
    }

    /**
     * Connects with default settings; blocks until the handshake is done.
     *
     * @param host the server's host name or address
     * @param port the server's port
     * @return the connected client
     * @throws PbException if the server cannot be reached or is not a jpb server
     */
    public static PbClient connect(String host, int port) {
        return builder().connect(host, port);
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Asks the server for its root object. Calling it again yields the same reference while
     * the first is still held.
     *
     * @return a future completed with the root reference, off the I/O threads
     */
    public CompletableFuture<RemoteReference> getRootObject() {
        if (reconnector != null) {
            return reconnector.rootObject();
        }
        return broker.rootObject();
    }

    /**
     * Logs in (docs/protocol.md §13.2): proves the password with SCRAM-SHA-256, which sends
     * neither the password nor anything an eavesdropper could log in with, checks that the
     * server holds the user's verifier, and yields the <em>perspective</em>: a reference to
     * the avatar the server's realm chose for the user, whose {@code callRemote("x")} runs
     * {@code perspective_x} there. A login on a connection that already has a session replaces
     * it when it succeeds (a failed one leaves the old session).
     *
     * <pre>{@code
     * RemoteReference perspective = client.login("alice", password, mind).get();
     * }</pre>
     *
     * <p>The session lasts until {@link #logout()}, {@link RemoteReference#release()} on the
     * perspective, a later login, or the connection's end: this client holds the current
     * perspective, so a caller that does not keep it is not logged out by the garbage
     * collector (as an unreachable reference would be released).
     *
     * <p>The future fails with {@link dev.jpb.LoginFailedException} for an unknown user or a
     * wrong password (one message for both), with {@link dev.jpb.ServerAuthenticationException}
     * if the server's signature is wrong (the client then closes the connection), and with a
     * {@link PbException} at once if the server does not offer login. The password array is
     * copied and not changed: clear it when this returns. Afterwards the client keeps SCRAM's
     * client and server keys (not the password) in memory to log in again after a reconnect.
     *
     * @param username the user's name
     * @param password the user's password, not empty
     * @param mind an object of the client's the server may call back ({@code remote_}
     *     methods; it reaches the realm as a {@link RemoteReference}), or null
     * @return a future completed with the perspective, off the I/O threads
     * @throws IllegalArgumentException if the user name or password is empty
     */
    public CompletableFuture<RemoteReference> login(String username, char[] password,
            Referenceable mind) {
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        ScramClientExchange exchange = new ScramClientExchange(username, password,
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        return currentBroker().login(exchange, mind).thenApply(perspective -> {
            remember(SavedLogin.scram(username, exchange.keys(), mind));
            return loggedIn(perspective);
        });
    }

    /**
     * Logs in without credentials, if the server allows it
     * ({@code PbServer.builder().allowAnonymous(avatarId)}); otherwise the future fails with
     * {@link dev.jpb.LoginFailedException}.
     *
     * @param mind an object of the client's the server may call back, or null
     * @return a future completed with the perspective, off the I/O threads
     */
    public CompletableFuture<RemoteReference> loginAnonymously(Referenceable mind) {
        return currentBroker().loginAnonymously(mind).thenApply(perspective -> {
            remember(SavedLogin.anonymous(mind));
            return loggedIn(perspective);
        });
    }

    /**
     * Logs in as the certificate this client presented in the TLS handshake
     * ({@link Builder#clientIdentity}), with no password: the server's realm receives the
     * certificate's fingerprint (or subject, as the server chose) as the avatar id. The server
     * must offer it ({@code PbServer.builder().certificateLogin(..)}); otherwise, or if this
     * connection presented no certificate, the future fails with
     * {@link dev.jpb.LoginFailedException}. After a reconnect it logs in again the same way.
     *
     * @param mind an object of the client's the server may call back, or null
     * @return a future completed with the perspective, off the I/O threads
     */
    public CompletableFuture<RemoteReference> loginWithCertificate(Referenceable mind) {
        return currentBroker().loginWithCertificate(mind).thenApply(perspective -> {
            remember(SavedLogin.certificate(mind));
            return loggedIn(perspective);
        });
    }

    /**
     * Ends this connection's session: the avatar's {@code loggedOut} runs on the server, and
     * calls on the old perspective fail with {@link dev.jpb.NotLoggedInException}. The
     * connection stays open; the saved keys are forgotten. Releasing the perspective
     * ({@link RemoteReference#release()}) or closing the client ends the session too; merely
     * dropping the perspective does not, since this client holds the current one until then.
     *
     * @return a future completed once the server has ended the session
     */
    public CompletableFuture<Void> logout() {
        remember(null);
        perspective = null;
        return currentBroker().logout();
    }

    private void remember(SavedLogin login) {
        SavedLogin old = savedLogin.getAndSet(login);
        if (old != null) {
            old.forget();
        }
    }

    /** Returns the last successful login, for logging in again after a reconnect; or null. */
    SavedLogin savedLogin() {
        return savedLogin.get();
    }

    /**
     * Logs in on this client's connection as {@code saved} did (the reconnect code calls this
     * with {@link #savedLogin()} once a new connection is up); the saved login stays as it is.
     */
    CompletableFuture<RemoteReference> loginAgain(SavedLogin saved) {
        return saved.loginAgain(currentBroker());
    }

    /**
     * Returns the current session's perspective: the one the last successful login (or the
     * automatic login again after a reconnection) returned, while it is usable. Empty before
     * the first login, after {@link #logout()}, once the perspective is released, and while
     * the connection is down. This client holds it, so the session outlives a caller that
     * drops its own reference.
     *
     * @return the perspective, or empty when there is no session
     */
    public Optional<RemoteReference> perspective() {
        return Optional.ofNullable(perspective).filter(RemoteReference::isConnected);
    }

    /**
     * Runs {@code listener} with the perspective after every successful login: the ones this
     * client's {@code login}/{@code loginAnonymously} calls make, and, with
     * {@link Builder#reconnect}, the automatic one after each reconnection, which logs in again
     * as the last successful login did (same user, same mind) before the {@code onConnected}
     * listeners run. The old perspective is dead then: use the one the listener receives.
     * Listeners run off the I/O threads.
     *
     * @param listener receives each new perspective
     */
    public void onLogin(Consumer<? super RemoteReference> listener) {
        loginListeners.add(requireNonNull(listener, "listener"));
    }

    private RemoteReference loggedIn(RemoteReference perspective) {
        this.perspective = perspective;
        for (Consumer<? super RemoteReference> listener : loginListeners) {
            try {
                listener.accept(perspective);
            } catch (RuntimeException e) {
                log.warn("{}: an onLogin listener failed", this, e);
            }
        }
        return perspective;
    }

    /** After a reconnect: logs in again as the last successful login did, if there was one. */
    private CompletableFuture<?> loginAfterReconnect(Broker b) {
        SavedLogin saved = savedLogin.get();
        if (saved == null) {
            return CompletableFuture.completedFuture(null);
        }
        return saved.loginAgain(b).handle((again, t) -> {
            if (t != null) {
                // Retrying would fail the same way (the server's verifier changed, or the user
                // was removed): stay connected without a session, and say what to do.
                // The cause's text, not its stack trace: this is the server's answer, not a bug.
                log.warn("{}: logging in again as before the reconnection failed ({}); the"
                        + " connection is up without a session: call login(...) again", this,
                        String.valueOf(t.getCause() != null ? t.getCause() : t));
                savedLogin.compareAndSet(saved, null);
                perspective = null; // the field: the lambda's parameter is 'again'
                return null;
            }
            return loggedIn(again);
        });
    }

    private Broker currentBroker() {
        Broker b = broker;
        if (b == null) {
            throw new IllegalStateException("not connected yet: the server is not reachable;"
                    + " the client keeps trying (use onConnected to learn when it is)");
        }
        return b;
    }

    /**
     * Returns this client's connection: with {@link Builder#reconnect}, the current one, or
     * the last one (closed) while reconnecting.
     *
     * @return the connection
     * @throws IllegalStateException if a reconnecting client has not connected yet (use
     *     {@link #onConnected})
     */
    public Connection connection() {
        return currentBroker().connection();
    }

    /**
     * Runs {@code listener} with the server's root on every connection this client makes:
     * with {@link Builder#reconnect}, after each reconnection (references of the old
     * connection are dead: fetch what you need again from this root); without, once. A
     * listener added while connected runs at once too. Listeners run off the I/O threads, one
     * at a time, in order.
     *
     * <p>With a server that exposes no root (one that only serves login), the listener
     * receives {@code null}: log in instead, or watch {@link #onLogin}.
     *
     * @param listener receives the root of each new connection, or null without one
     */
    public void onConnected(Consumer<? super RemoteReference> listener) {
        requireNonNull(listener, "listener");
        if (reconnector != null) {
            reconnector.onConnected(listener);
            return;
        }
        getRootObject().thenAccept(listener).exceptionally(t -> {
            log.warn("{}: onConnected listener not run or failed", this, t);
            return null;
        });
    }

    /**
     * Runs {@code listener} with each later change of {@link #state()}: CONNECTING, CONNECTED
     * (after the {@code onConnected} listeners were queued), DISCONNECTED. Off the I/O
     * threads, one at a time, in order.
     *
     * @param listener receives each new state
     */
    public void onStateChange(Consumer<? super ConnectionState> listener) {
        requireNonNull(listener, "listener");
        if (reconnector != null) {
            reconnector.onStateChange(listener);
            return;
        }
        broker.closeFuture().thenRun(() -> listener.accept(ConnectionState.DISCONNECTED));
    }

    /** {@return where the link to the server stands now} */
    public ConnectionState state() {
        if (reconnector != null) {
            return reconnector.state();
        }
        return broker.connection().isOpen() ? ConnectionState.CONNECTED
                : ConnectionState.DISCONNECTED;
    }

    /**
     * Returns whether the server was authenticated when this client connected: true when it
     * connected over TLS with {@link Builder#pinServer} (the server presented exactly the
     * pinned certificate) or {@link Builder#trustCertificates} (the server's chain and host name
     * were verified); false over plaintext, where anyone on the path could have answered.
     *
     * @return whether the server's identity was verified
     */
    public boolean isServerAuthenticated() {
        return serverFingerprint != null;
    }

    /**
     * Returns the fingerprint of the certificate the server presented, as
     * {@link dev.jpb.TlsIdentity#fingerprint()} prints it ({@code "sha256:"} + 64 hex
     * digits), or empty over plaintext.
     *
     * @return the server certificate's fingerprint, if this client speaks TLS
     */
    public Optional<String> serverFingerprint() {
        return Optional.ofNullable(serverFingerprint);
    }

    /**
     * Closes the connection and stops the threads this client made; an event loop group or
     * executor passed to the builder is not shut down. Idempotent.
     */
    @Override
    public void close() {
        if (reconnector != null) {
            reconnector.close(); // no more attempts; closes the current connection
        }
        Broker broker = this.broker;
        if (broker == null) {
            endpoint.shutdown(CLOSE_SECONDS, TimeUnit.SECONDS);
            return;
        }
        broker.close();
        try {
            broker.closeFuture().get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("{}: interrupted while closing; stopping its threads anyway", this);
        } catch (TimeoutException e) {
            log.warn("{} did not close within {} s (is its I/O thread blocked?); stopping its"
                    + " threads anyway", this, CLOSE_SECONDS);
        } catch (ExecutionException e) {
            log.warn("{}: closing failed; stopping its threads anyway", this, e.getCause());
        }
        endpoint.shutdown(CLOSE_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return "PbClient[" + broker + "]";
    }

    /** Configures and connects a {@link PbClient}; not thread-safe. */
    public static final class Builder {
        private final EndpointSettings settings = new EndpointSettings();
        private Duration connectTimeout = Duration.ofSeconds(10);
        private EventLoopGroup eventLoopGroup; // null: each client makes its own
        private Duration reconnectInitial; // null: no reconnecting
        private Duration reconnectMax;
        // TLS: at most one of the two ways to authenticate the server; null both: plaintext.
        private String pinnedServer;
        private List<X509Certificate> trustedCertificates;
        private TlsIdentity clientIdentity; // null: present no client certificate

        private Builder() {
        }

        /**
         * Allows these classes to cross by copy; the server registers the same ones.
         *
         * @param types classes that implement {@link dev.jpb.Copyable}
         * @return this builder
         * @throws IllegalArgumentException at once, if a class cannot travel by copy
         */
        public Builder register(Class<?>... types) {
            settings.register(types);
            return this;
        }

        /**
         * Registers how this end copies the peer's cacheables of class {@code type}: each copy
         * is made by {@code copies}, then given its state. Without it, a {@code type} arriving
         * here is refused with {@link dev.jpb.ForbiddenTypeException} (the connection stays).
         * jpb's own {@link dev.jpb.cache.CacheableMap}, {@link dev.jpb.cache.CacheableList}
         * and {@link dev.jpb.cache.StepBarrier} need no registration.
         *
         * @param type the sender's {@link dev.jpb.Cacheable} class (it need not be on this
         *     end's class path otherwise; see the other overload)
         * @param copies makes an empty copy; called on the executor
         * @return this builder
         */
        public Builder registerCache(Class<? extends dev.jpb.Cacheable> type,
                java.util.function.Supplier<? extends dev.jpb.RemoteCache> copies) {
            settings.registerCache(requireNonNull(type, "type").getName(), copies);
            return this;
        }

        /**
         * As {@link #registerCache(Class, java.util.function.Supplier)}, naming the sender's
         * cacheable class by its binary name (as {@code Class.getName()}), for a class that
         * only the server has.
         *
         * @param typeName the binary name of the sender's cacheable class
         * @param copies makes an empty copy; called on the executor
         * @return this builder
         * @throws IllegalArgumentException if {@code typeName} is empty
         */
        public Builder registerCache(String typeName,
                java.util.function.Supplier<? extends dev.jpb.RemoteCache> copies) {
            settings.registerCache(typeName, copies);
            return this;
        }

        /**
         * Sets the limits; default {@link Limits#defaults()}.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(Limits limits) {
            settings.limits(limits);
            return this;
        }

        /**
         * Sets the executor that runs callbacks ({@code remote_} methods of objects this client
         * passes) and completes futures. Not owned: the client does not shut it down. By
         * default the client makes (and owns) a pool of daemon threads grown as needed. One
         * executor may serve any number of clients (each keeps its own calls in order); it must
         * be thread-safe, as every {@link java.util.concurrent.ExecutorService} is.
         * {@code Runnable::run} runs user code on the I/O threads: fast, but a blocking
         * callback then stalls the connections on its thread, and blocking on a jpb future that
         * is not done throws {@link dev.jpb.BlockingCallException} instead of deadlocking
         * (compose with {@code thenApply}/{@code thenCompose}, or return the future).
         *
         * @param executor the executor; not shut down by jpb
         * @return this builder
         */
        public Builder executor(Executor executor) {
            settings.executor(executor);
            return this;
        }

        /**
         * Runs the client's I/O (connecting, reading, writing, encoding and decoding) on
         * {@code group} instead of on a one-thread group the client makes for itself, so that
         * many clients can share a few I/O threads (e.g. 10,000 clients on two). The group
         * must be an epoll or a NIO Netty 4.2 group, such as {@code new
         * MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory())}; the client uses the
         * matching channel class.
         *
         * <p>Not owned: {@link PbClient#close()} does not shut the group down; the caller shuts
         * it down after closing the clients on it (their connections die with it). Netty groups
         * are thread-safe: clients on one group may be used, connected and closed from any
         * threads. No application code runs on the group's threads (unless the executor is
         * {@code Runnable::run}), and none may block them.
         *
         * @param group an epoll or NIO event loop group
         * @return this builder
         * @throws IllegalArgumentException if {@code group} is shutting down, or is neither an
         *     epoll nor a NIO group
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            requireNonNull(group, "group");
            checkArgument(!group.isShuttingDown(), "eventLoopGroup: %s (expected: not shut down)",
                    group);
            Transport.channelClass(group); // refuses a group of another transport, at once
            this.eventLoopGroup = group;
            return this;
        }

        /**
         * Exposes a root object to the server too (optional; PB clients rarely do).
         *
         * @param root the root object
         * @return this builder
         */
        public Builder root(Root root) {
            settings.root(root);
            return this;
        }

        /**
         * Records this client's metrics in {@code registry} (Micrometer): connections, calls
         * by method name (counts, a latency timer with a histogram, in flight), reference
         * counts, bytes in and out, protocol violations and queued outbound bytes, every meter
         * named {@code jpb.*} and tagged {@code side=client}; README section "Metrics" lists
         * them. Off by default, and then free: Micrometer is an optional dependency, and jpb
         * never loads its classes unless this method is called.
         *
         * @param registry the registry; not closed by jpb
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            settings.meterRegistry(requireNonNull(registry, "registry"));
            return this;
        }

        /**
         * Sends stack traces with errors that cross as {@link dev.jpb.RemoteCallException}.
         *
         * @param sendStackTraces whether to send them
         * @return this builder
         */
        public Builder sendStackTraces(boolean sendStackTraces) {
            settings.sendStackTraces(sendStackTraces);
            return this;
        }

        /**
         * Sets how long connecting may take; default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = EndpointSettings.positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets how long the handshake may take; default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder handshakeTimeout(Duration timeout) {
            settings.handshakeTimeout(timeout);
            return this;
        }

        /**
         * Turns keepalive on: a peer that has sent nothing for {@code interval} is sent a
         * PING, and one silent for 3 intervals is dropped, failing its pending calls with
         * {@link dev.jpb.ConnectionLostException}. Off by default. Only peers that announce
         * keepalive in their hello (jpb 1.1 and later) are pinged or dropped.
         *
         * @param interval a positive duration, e.g. 10 s
         * @return this builder
         * @throws IllegalArgumentException if zero or negative
         */
        public Builder keepAlive(Duration interval) {
            settings.keepAlive(interval);
            return this;
        }

        /**
         * Makes the client reconnect whenever its connection is lost, forever until {@link
         * PbClient#close()}: retry {@code n} (from 0) waits a random time between 0 and
         * {@code min(maxDelay, initialDelay * 2^n)} (exponential backoff with full jitter),
         * and a successful connection starts the count again. {@link #connect} then does not
         * throw when the server cannot be reached: it waits up to the connect timeout for the
         * first attempt and returns a client that keeps trying. Each new connection runs the
         * {@link PbClient#onConnected} listeners with its root; references obtained through
         * an earlier connection stay dead ({@link dev.jpb.DeadReferenceException}). Off by
         * default.
         *
         * @param initialDelay the first retry's delay cap, positive
         * @param maxDelay the largest delay cap, at least {@code initialDelay}
         * @return this builder
         * @throws IllegalArgumentException if a delay is not positive or maxDelay is smaller
         */
        public Builder reconnect(Duration initialDelay, Duration maxDelay) {
            EndpointSettings.positive(initialDelay, "initialDelay");
            EndpointSettings.positive(maxDelay, "maxDelay");
            checkArgument(maxDelay.compareTo(initialDelay) >= 0,
                    "maxDelay: %s (expected: >= initialDelay %s)", maxDelay, initialDelay);
            this.reconnectInitial = initialDelay;
            this.reconnectMax = maxDelay;
            return this;
        }

        /**
         * Connects over TLS and accepts exactly the server certificate whose fingerprint is
         * {@code fingerprint} (what the server's {@link dev.jpb.TlsIdentity#fingerprint()}
         * prints); the host name is not checked, since the pin names the certificate. Replaces
         * an earlier {@link #trustCertificates}. A server presenting another certificate fails
         * {@link #connect} with {@link TlsPinMismatchException}, which names both fingerprints.
         *
         * @param fingerprint {@code "sha256:"} + 64 hex digits; upper case and the
         *     colon-separated form {@code openssl x509 -fingerprint -sha256} prints are accepted
         * @return this builder
         * @throws IllegalArgumentException if {@code fingerprint} is not a SHA-256 fingerprint
         */
        public Builder pinServer(String fingerprint) {
            settings.tls(TlsContexts.pinnedClient(fingerprint, clientIdentity));
            this.pinnedServer = fingerprint;
            this.trustedCertificates = null;
            return this;
        }

        /**
         * Connects over TLS and trusts the certificate authorities (or self-signed
         * certificates) in a PEM file: the server's chain must lead to one of them (PKIX) and
         * its certificate must name the host passed to {@link #connect} (a DNS name or IP
         * address in its subject alternative names). Replaces an earlier {@link #pinServer}.
         * A certificate that fails either check fails {@link #connect} with
         * {@link TlsHandshakeException}.
         *
         * @param pemFile one or more PEM {@code CERTIFICATE} blocks
         * @return this builder
         * @throws TlsConfigurationException at once, if the file cannot be read or holds no
         *     certificate
         */
        public Builder trustCertificates(Path pemFile) {
            List<X509Certificate> trusted =
                    Pem.readCertificates(requireNonNull(pemFile, "pemFile"));
            settings.tls(TlsContexts.trustingClient(trusted, clientIdentity));
            this.trustedCertificates = trusted;
            this.pinnedServer = null;
            return this;
        }

        /**
         * Presents {@code identity}'s certificate in the TLS handshake, for a server that
         * requires client certificates (mutual TLS, {@code PbServer.builder()
         * .requireClientCertificates(..)}); the server lets this client in if it pins
         * {@link TlsIdentity#fingerprint()} or trusts the authority that issued the
         * certificate, and with {@code certificateLogin} the certificate logs in too
         * ({@link PbClient#loginWithCertificate}). Needs TLS: {@link #pinServer} or
         * {@link #trustCertificates}, before or after this call. A server that refuses the
         * certificate fails {@link #connect} with
         * {@link dev.jpb.ClientCertificateRefusedException}.
         *
         * @param identity this client's key and certificate chain, e.g.
         *     {@link TlsIdentity#selfSigned} once and kept with {@link TlsIdentity#writePem}
         * @return this builder
         */
        public Builder clientIdentity(TlsIdentity identity) {
            this.clientIdentity = requireNonNull(identity, "identity");
            if (pinnedServer != null) {
                settings.tls(TlsContexts.pinnedClient(pinnedServer, identity));
            } else if (trustedCertificates != null) {
                settings.tls(TlsContexts.trustingClient(trustedCertificates, identity));
            }
            return this;
        }

        /**
         * Connects; blocks until the handshake is done (with TLS, the TLS handshake first;
         * {@link #handshakeTimeout} bounds both).
         *
         * @param host the server's host name or address
         * @param port the server's port
         * @return the connected client
         * @throws TlsPinMismatchException if the server presented a certificate other than the
         *     pinned one
         * @throws TlsHandshakeException if TLS failed: the server's certificate was refused,
         *     the server speaks plaintext while this client asked for TLS (or the reverse), or
         *     the TLS handshake did not finish in time
         * @throws dev.jpb.ClientCertificateRefusedException if the server requires a client
         *     certificate and refused this client's (or its lack of one)
         * @throws TlsConfigurationException if a {@link #clientIdentity} was given without TLS
         * @throws PbException if the server cannot be reached or is not a jpb server
         * @throws IllegalArgumentException if a registered class cannot travel by copy
         */
        public PbClient connect(String host, int port) {
            requireNonNull(host, "host");
            checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1..65535)", port);
            if (clientIdentity != null && settings.tls() == null) {
                throw new TlsConfigurationException("clientIdentity needs TLS: authenticate"
                        + " the server with pinServer(fingerprint) or"
                        + " trustCertificates(pemFile)");
            }
            // Frozen here: changing the builder later does not change this client.
            Endpoint endpoint = Endpoint.client(settings, eventLoopGroup, connectTimeout);
            if (reconnectInitial != null) {
                PbClient client = new PbClient(endpoint, host, port, reconnectInitial,
                        reconnectMax);
                client.reconnector.start();
                client.reconnector.awaitFirstAttempt(connectTimeout.plus(
                        settings.handshakeTimeout()));
                return client;
            }
            CompletableFuture<Broker> handshake = new CompletableFuture<>();
            ChannelFuture cf;
            try {
                cf = endpoint.clientBootstrap((ch, f) -> f.whenComplete((b, t) -> {
                    if (t != null) {
                        handshake.completeExceptionally(t);
                    } else {
                        handshake.complete(b);
                    }
                }), host, port).connect(endpoint.address(host, port));
            } catch (RuntimeException e) {
                endpoint.shutdownNow();
                throw e;
            }
            try {
                cf.await();
                if (!cf.isSuccess()) {
                    throw new PbException("cannot connect to " + host + ":" + port + ": "
                            + cf.cause().getMessage(), cf.cause());
                }
                Broker broker = handshake.get(settings.handshakeTimeout().toMillis() + 1000,
                        TimeUnit.MILLISECONDS);
                return new PbClient(broker, endpoint, serverFingerprint(cf.channel()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                abandon(cf, endpoint);
                throw new PbException("interrupted while connecting to " + host + ":" + port, e);
            } catch (ExecutionException e) {
                abandon(cf, endpoint);
                Throwable cause = e.getCause();
                throw cause instanceof PbException pe ? pe
                        : new PbException("cannot connect to " + host + ":" + port, cause);
            } catch (TimeoutException e) {
                abandon(cf, endpoint);
                throw new PbException("no jpb handshake from " + host + ":" + port, e);
            } catch (RuntimeException e) {
                abandon(cf, endpoint);
                throw e;
            }
        }

        /**
         * Connects in-process to the server listening on {@code name} (made with {@code
         * PbServer.builder().bindLocal(name)} in this JVM), over Netty's local channels: no
         * sockets, otherwise the same pipeline, handshake and broker. Meant for fast tests.
         * Incompatible with {@link #eventLoopGroup} (the client makes its own local thread).
         *
         * @param name the server's in-process name
         * @return the connected client
         * @throws PbException if no in-process server listens on {@code name}
         * @throws IllegalArgumentException if an event loop group was set
         */
        public PbClient connectLocal(String name) {
            requireNonNull(name, "name");
            settings.local(true);
            try {
                return connect(name, LOCAL_PORT);
            } finally {
                settings.local(false);
            }
        }

        /** The fingerprint the server presented, or null over plaintext. */
        private static String serverFingerprint(Channel channel) {
            SslHandler ssl = channel.pipeline().get(SslHandler.class);
            return ssl == null ? null
                    : TlsContexts.peerFingerprint(ssl.engine().getSession()).orElse(null);
        }

        /** Undoes a failed connect: on a shared group the channel would otherwise live on. */
        private static void abandon(ChannelFuture cf, Endpoint endpoint) {
            cf.channel().close();
            endpoint.shutdownNow();
        }
    }
}
