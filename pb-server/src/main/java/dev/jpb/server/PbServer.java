package dev.jpb.server;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.Root;
import dev.jpb.TlsConfigurationException;
import dev.jpb.TlsIdentity;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.broker.EndpointSettings;
import dev.jpb.internal.login.FailedLogins;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.tls.TlsContexts;
import dev.jpb.internal.transport.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A jpb server: listens on a TCP port and gives every client that connects a broker whose
 * root object is the configured {@link Root}, and, with a {@link Realm}, lets clients log in
 * ({@link Builder#realm}, {@link Builder#passwords}).
 *
 * <pre>{@code
 * PbServer server = PbServer.builder()
 *         .root(new MyRoot())
 *         .bind("127.0.0.1", 0)
 *         .register(Person.class)
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} is graceful and idempotent: it stops accepting, closes every
 * connection (their pending calls fail with {@link dev.jpb.ConnectionLostException}) and stops
 * the threads the server made.
 */
public final class PbServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PbServer.class);

    private final Endpoint endpoint;
    private final String host;
    private final int port;
    private final Set<Broker> connections = ConcurrentHashMap.newKeySet();
    private Channel serverChannel; // guarded by this
    private volatile boolean closed;

    private PbServer(Builder b) {
        this.endpoint = Endpoint.server(b.settings, b.ioThreads);
        this.host = b.host;
        this.port = b.port;
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts accepting; returns once bound.
     *
     * @return this server
     * @throws PbException if the address cannot be bound
     * @throws IllegalStateException if already started or closed
     */
    public synchronized PbServer start() {
        checkState(serverChannel == null && !closed, "server already started or closed");
        ServerBootstrap bootstrap = endpoint.serverBootstrap(this::onHandshake);
        try {
            serverChannel = bootstrap.bind(endpoint.bindAddress(host, port)).sync().channel();
        } catch (Exception e) {
            endpoint.shutdown(5, TimeUnit.SECONDS);
            throw new PbException("cannot listen on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        log.info("jpb server listening on {}", serverChannel.localAddress());
        return this;
    }

    private void onHandshake(Channel channel, CompletableFuture<Broker> handshake) {
        handshake.thenAccept(broker -> {
            connections.add(broker);
            broker.closeFuture().whenComplete((v, t) -> connections.remove(broker));
            if (closed) {
                broker.close();
            }
        });
    }

    /**
     * {@return the bound port}
     *
     * @throws IllegalStateException before {@link #start()}, or for an in-process server
     */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * {@return the bound address}
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized InetSocketAddress localAddress() {
        checkState(serverChannel != null, "server not started");
        checkState(!endpoint.local(), "an in-process server has no TCP address; clients"
                + " connect with PbClient.builder().connectLocal(\"" + host + "\")");
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Returns the address the server listens on: an {@link InetSocketAddress}, or Netty's
     * {@code LocalAddress} for a server made with {@link Builder#bindLocal}.
     *
     * @return the bound address
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized SocketAddress address() {
        checkState(serverChannel != null, "server not started");
        return serverChannel.localAddress();
    }

    /** {@return a snapshot of the live connections} */
    public Collection<Connection> connections() {
        List<Connection> live = new ArrayList<>(connections.size());
        for (Broker broker : connections) {
            live.add(broker.connection());
        }
        return List.copyOf(live);
    }

    /**
     * {@return the number of live connections}: those past the handshake and not yet closed,
     * as {@link #connections()} would list them, without copying them.
     */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting, closes every connection and stops the server's threads. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        Channel listening;
        synchronized (this) {
            listening = serverChannel;
        }
        if (listening != null) {
            listening.close().syncUninterruptibly();
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        for (Broker broker : connections) {
            broker.close();
            closing.add(broker.closeFuture().thenRun(() -> connections.remove(broker)));
        }
        try {
            CompletableFuture.allOf(closing.toArray(new CompletableFuture<?>[0]))
                    .get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            log.warn("{} connections still closing after 5 s (is an I/O thread blocked?);"
                    + " stopping threads anyway", connections.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while closing connections; stopping threads anyway");
        } catch (ExecutionException e) {
            log.warn("while closing connections", e.getCause());
        }
        endpoint.shutdown(5, TimeUnit.SECONDS);
    }

    /** Configures a {@link PbServer}; not thread-safe. */
    public static final class Builder {
        private final EndpointSettings settings = new EndpointSettings(); // copied by build()
        private String host = "127.0.0.1";
        private int port;
        private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Realm realm; // null: no login
        private CredentialStore credentials; // null: no password logins
        private String anonymousAvatarId; // null: anonymous logins refused
        private int maxFailedLogins = FailedLogins.DEFAULT_MAX_FAILED_LOGINS;
        private TlsIdentity tlsIdentity; // null: plaintext
        private ClientCertificates clientCertificates; // null: none asked for
        private CertificateLogin certificateLogin; // null: no certificate logins

        private Builder() {
        }

        /**
         * Sets the root object clients receive from {@code getRootObject()}; required.
         *
         * @param root the root object
         * @return this builder
         */
        public Builder root(Root root) {
            settings.root(root);
            return this;
        }

        /**
         * Enables login (docs/protocol.md §13.2): after a client's credentials are checked,
         * {@code realm} hands out its avatar, and the client receives a reference to it (its
         * perspective). Needs credentials ({@link #passwords} or {@link #credentials}) or
         * {@link #allowAnonymous}. With a realm the {@linkplain #root root} is optional.
         *
         * @param realm the application's realm; called on the executor, must be thread-safe
         * @return this builder
         */
        public Builder realm(Realm realm) {
            this.realm = requireNonNull(realm, "realm");
            return this;
        }

        /**
         * Checks logins against these in-memory verifiers; the same as
         * {@link #credentials credentials(passwords)}. Users added later are seen at once.
         *
         * @param passwords the users and their SCRAM-SHA-256 verifiers
         * @return this builder
         */
        public Builder passwords(Passwords passwords) {
            return credentials(passwords);
        }

        /**
         * Checks logins against the application's own store of SCRAM-SHA-256 verifiers (e.g.
         * a database table of {@link ScramVerifier#encode()} lines). Replaces an earlier
         * {@link #passwords}.
         *
         * @param store where users' verifiers are found; called on the executor
         * @return this builder
         */
        public Builder credentials(CredentialStore store) {
            this.credentials = requireNonNull(store, "store");
            return this;
        }

        /**
         * Lets clients log in without credentials ({@code PbClient.loginAnonymously}); the
         * realm then receives {@code avatarId} as the avatar id. Off by default: an anonymous
         * login is refused with {@link dev.jpb.LoginFailedException} and counts as a failed
         * login.
         *
         * @param avatarId the avatar id anonymous sessions get, e.g. {@code "anonymous"}
         * @return this builder
         */
        public Builder allowAnonymous(String avatarId) {
            requireNonNull(avatarId, "avatarId");
            checkArgument(!avatarId.isEmpty(), "avatarId: empty (expected: a name)");
            this.anonymousAvatarId = avatarId;
            return this;
        }

        /**
         * Sets how many failed logins in a row close a connection; default 5. Each failure is
         * logged with the user name the client sent (never a password: the server never sees
         * one); a successful login starts the count again.
         *
         * @param maxFailedLogins at least 1
         * @return this builder
         */
        public Builder maxFailedLogins(int maxFailedLogins) {
            checkArgument(maxFailedLogins >= 1, "maxFailedLogins: %s (expected: >= 1)",
                    maxFailedLogins);
            this.maxFailedLogins = maxFailedLogins;
            return this;
        }

        /**
         * Serves TLS only on this server's port, presenting {@code identity}: the TLS handshake
         * comes first and the jpb hello travels inside it. A plaintext jpb client is refused
         * (the reason is logged and the connection closed; the client's connect fails with
         * {@link dev.jpb.TlsHandshakeException}), and so is anything else that is not TLS.
         * Clients authenticate the server by pinning {@link TlsIdentity#fingerprint()} or by
         * trusting the authority that issued its certificate.
         *
         * @param identity the server's key and certificate chain
         * @return this builder
         * @throws dev.jpb.TlsConfigurationException if the identity cannot be used for TLS
         */
        public Builder tls(TlsIdentity identity) {
            settings.tls(tlsContext(requireNonNull(identity, "identity"), clientCertificates));
            this.tlsIdentity = identity;
            return this;
        }

        /**
         * Requires every client to present a certificate in the TLS handshake (mutual TLS),
         * one that {@code trusted} lets in: a client that presents none, or another, fails the
         * handshake. The server logs why and closes only that connection; the client's
         * connect fails with {@link dev.jpb.ClientCertificateRefusedException}. Clients
         * present theirs with {@code PbClient.builder().clientIdentity(identity)}. Needs
         * {@link #tls}. With {@link #certificateLogin}, the certificate also logs its client
         * in.
         *
         * @param trusted the pinned fingerprints and trusted authorities
         * @return this builder
         * @throws dev.jpb.TlsConfigurationException if the identity cannot be used for TLS
         */
        public Builder requireClientCertificates(ClientCertificates trusted) {
            requireNonNull(trusted, "trusted");
            if (tlsIdentity != null) {
                settings.tls(tlsContext(tlsIdentity, trusted));
            }
            this.clientCertificates = trusted;
            return this;
        }

        /**
         * Lets a client log in by the certificate it presented in the TLS handshake
         * ({@code PbClient.loginWithCertificate(mind)}), with no password: the realm receives
         * the certificate's fingerprint or subject ({@code avatarId}) as the avatar id. Needs
         * {@link #requireClientCertificates} (so every connection has a verified certificate)
         * and a {@link #realm}; password and anonymous logins may be offered beside it. Off by
         * default: a certificate login is then refused with {@link dev.jpb.LoginFailedException}.
         *
         * @param avatarId what names the avatar: {@link CertificateLogin#FINGERPRINT} or
         *     {@link CertificateLogin#SUBJECT}
         * @return this builder
         */
        public Builder certificateLogin(CertificateLogin avatarId) {
            this.certificateLogin = requireNonNull(avatarId, "avatarId");
            return this;
        }

        private static SslContext tlsContext(TlsIdentity identity,
                ClientCertificates clients) {
            return clients == null ? TlsContexts.server(identity)
                    : TlsContexts.server(identity, clients.pinnedFingerprints(),
                            clients.trustedAuthorities());
        }

        /**
         * Sets the address to listen on; default {@code 127.0.0.1:0} (any free port).
         *
         * @param host the host name or address
         * @param port the port; 0 for any free one
         * @return this builder
         */
        public Builder bind(String host, int port) {
            checkArgument(port >= 0 && port <= 65535, "port: %s (expected: 0..65535)", port);
            this.host = requireNonNull(host, "host");
            this.port = port;
            settings.local(false);
            return this;
        }

        /**
         * Listens in-process only, on the name {@code name}, instead of on a TCP port: clients
         * in the same JVM connect with {@code PbClient.builder().connectLocal(name)}, over
         * Netty's local channels (no sockets, no ports; the pipeline, the handshake and the
         * broker are the same). Meant for fast tests; {@code PbServerExtension} offers it.
         * Replaces an earlier {@link #bind}; a later {@code bind} replaces this.
         *
         * @param name a name unique among this JVM's in-process servers
         * @return this builder
         * @throws IllegalArgumentException if {@code name} is empty
         */
        public Builder bindLocal(String name) {
            checkArgument(!requireNonNull(name, "name").isEmpty(), "name: \"\" (expected: not"
                    + " empty)");
            this.host = name;
            this.port = 0;
            settings.local(true);
            return this;
        }

        /**
         * Allows these classes to cross by copy. Each must implement {@link dev.jpb.Copyable};
         * the client registers the same classes (in any order).
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
         * only the client has.
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
         * Sets the executor that runs {@code remote_} methods and completes futures. It is not
         * owned: the server does not shut it down. By default the server makes (and owns) a
         * pool of daemon threads grown as needed. {@code Runnable::run} runs user code on the
         * I/O threads: fast, but a blocking method then stalls its connections, and blocking on
         * a jpb future that is not done throws {@link dev.jpb.BlockingCallException} instead of
         * deadlocking (compose with {@code thenApply}/{@code thenCompose}, or return the future).
         *
         * @param executor the executor; not shut down by jpb
         * @return this builder
         */
        public Builder executor(Executor executor) {
            settings.executor(executor);
            return this;
        }

        /**
         * Records this server's metrics in {@code registry} (Micrometer): connections, calls
         * by method name (counts, a latency timer with a histogram, in flight), reference
         * counts, bytes in and out, protocol violations and queued outbound bytes, every meter
         * named {@code jpb.*} and tagged {@code side=server}; README section "Metrics" lists
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
         * Sets how long a new connection may take to complete the handshake; default 10 s.
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
         * Sets the number of I/O threads; default the number of processors.
         *
         * @param ioThreads the number of threads, positive
         * @return this builder
         */
        public Builder ioThreads(int ioThreads) {
            checkArgument(ioThreads > 0, "ioThreads: %s (expected: > 0)", ioThreads);
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Returns the server, not yet listening. Its settings are frozen: changing this builder
         * afterwards does not change it.
         *
         * @return the server, not yet listening
         * @throws IllegalStateException without a root or a realm, with a realm but neither
         *     credentials nor anonymous logins, or with credentials but no realm
         * @throws IllegalArgumentException if a registered class cannot travel by copy
         * @throws TlsConfigurationException with {@link #requireClientCertificates} but no
         *     {@link #tls}, or {@link #certificateLogin} without required client certificates
         */
        public PbServer build() {
            if (clientCertificates != null && tlsIdentity == null) {
                throw new TlsConfigurationException("requireClientCertificates needs TLS:"
                        + " give the server its identity with PbServer.builder().tls(identity)");
            }
            if (certificateLogin != null && clientCertificates == null) {
                throw new TlsConfigurationException("certificateLogin needs verified client"
                        + " certificates: PbServer.builder().tls(identity)"
                        + ".requireClientCertificates(ClientCertificates.pinned(..))");
            }
            checkState(certificateLogin == null || realm != null, "certificateLogin needs a"
                    + " realm to hand out avatars: PbServer.builder().realm(realm)");
            checkState(settings.root() != null || realm != null,
                    "root is required: PbServer.builder().root(new MyRoot()), or a realm for"
                            + " login: .realm(realm).passwords(passwords)");
            if (realm == null) {
                checkState(credentials == null && anonymousAvatarId == null,
                        "passwords, credentials and allowAnonymous need a realm to hand out"
                                + " avatars: PbServer.builder().realm(realm)");
                settings.login(null);
            } else {
                checkState(credentials != null || anonymousAvatarId != null
                                || certificateLogin != null,
                        "a realm needs credentials to check: .passwords(passwords) or"
                                + " .credentials(store), or .allowAnonymous(avatarId), or"
                                + " .certificateLogin(CertificateLogin.FINGERPRINT)");
                CertificateLogin byCertificate = certificateLogin;
                settings.login(new LoginService(
                        credentials == null ? null : CredentialStores.source(credentials),
                        credentials == null ? null : CredentialStores.fakes(credentials),
                        realm::requestAvatar, anonymousAvatarId, maxFailedLogins,
                        byCertificate == null ? null : byCertificate::avatarIdOf));
            }
            return new PbServer(this);
        }
    }
}
