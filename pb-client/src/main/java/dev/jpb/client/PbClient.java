package dev.jpb.client;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.TlsConfigurationException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.broker.EndpointSettings;
import dev.jpb.internal.tls.TlsContexts;
import dev.jpb.internal.transport.Endpoint;
import dev.jpb.internal.transport.Transport;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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

    private final Broker broker;
    private final Endpoint endpoint;
    private final String serverFingerprint; // null: plaintext

    private PbClient(Broker broker, Endpoint endpoint, String serverFingerprint) {
        this.broker = broker;
        this.endpoint = endpoint;
        this.serverFingerprint = serverFingerprint;
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
        return broker.rootObject();
    }

    /** {@return this client's connection} */
    public Connection connection() {
        return broker.connection();
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
            settings.tls(TlsContexts.pinnedClient(fingerprint));
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
            settings.tls(TlsContexts.trustingClient(requireNonNull(pemFile, "pemFile")));
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
         * @throws PbException if the server cannot be reached or is not a jpb server
         * @throws IllegalArgumentException if a registered class cannot travel by copy
         */
        public PbClient connect(String host, int port) {
            requireNonNull(host, "host");
            checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1..65535)", port);
            // Frozen here: changing the builder later does not change this client.
            Endpoint endpoint = Endpoint.client(settings, eventLoopGroup, connectTimeout);
            CompletableFuture<Broker> handshake = new CompletableFuture<>();
            ChannelFuture cf;
            try {
                cf = endpoint.clientBootstrap((ch, f) -> f.whenComplete((b, t) -> {
                    if (t != null) {
                        handshake.completeExceptionally(t);
                    } else {
                        handshake.complete(b);
                    }
                }), host, port).connect(host, port);
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
                return new PbClient(broker, endpoint, serverFingerprint(cf));
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

        /** The fingerprint the server presented, or null over plaintext. */
        private static String serverFingerprint(ChannelFuture cf) {
            SslHandler ssl = cf.channel().pipeline().get(SslHandler.class);
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
