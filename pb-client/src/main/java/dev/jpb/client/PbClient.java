package dev.jpb.client;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.broker.BrokerConfig;
import dev.jpb.internal.broker.EndpointSettings;
import dev.jpb.internal.broker.PbChannelInitializer;
import dev.jpb.internal.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * <p>Thread-safe. {@link #close()} is graceful and idempotent: pending calls fail with
 * {@link dev.jpb.ConnectionLostException} and the threads the client made stop.
 */
public final class PbClient implements AutoCloseable {
    private final Broker broker;
    private final EventLoopGroup group;
    private final ExecutorService ownedExecutor;

    private PbClient(Broker broker, EventLoopGroup group, ExecutorService ownedExecutor) {
        this.broker = broker;
        this.group = group;
        this.ownedExecutor = ownedExecutor;
    }

    /**
     * Connects with default settings; blocks until the handshake is done.
     *
     * @throws PbException if the server cannot be reached or is not a jpb server
     */
    public static PbClient connect(String host, int port) {
        return builder().connect(host, port);
    }

    /** Returns a new builder. */
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

    /** Returns this client's connection. */
    public Connection connection() {
        return broker;
    }

    /** Closes the connection and stops the client's threads. Idempotent. */
    @Override
    public void close() {
        broker.close();
        try {
            broker.closeFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // closing anyway
        }
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    @Override
    public String toString() {
        return "PbClient[" + broker + "]";
    }

    /** Configures and connects a {@link PbClient}; not thread-safe. */
    public static final class Builder {
        private final EndpointSettings settings = new EndpointSettings();
        private Duration connectTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Allows these classes to cross by copy; the server registers the same ones. */
        public Builder register(Class<?>... types) {
            settings.register(types);
            return this;
        }

        /** Sets the limits; default {@link Limits#defaults()}. */
        public Builder limits(Limits limits) {
            settings.limits(limits);
            return this;
        }

        /**
         * Sets the executor that runs callbacks ({@code remote_} methods of objects this client
         * passes) and completes futures. Not owned: the client does not shut it down. By
         * default the client makes (and owns) a pool of daemon threads grown as needed.
         */
        public Builder executor(Executor executor) {
            settings.executor(executor);
            return this;
        }

        /** Exposes a root object to the server too (optional; PB clients rarely do). */
        public Builder root(Root root) {
            settings.root(root);
            return this;
        }

        /** Sends stack traces with errors that cross as {@link dev.jpb.RemoteCallException}. */
        public Builder sendStackTraces(boolean sendStackTraces) {
            settings.sendStackTraces(sendStackTraces);
            return this;
        }

        /** Sets how long connecting may take; default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = EndpointSettings.positive(timeout, "connectTimeout");
            return this;
        }

        /** Sets how long the handshake may take; default 10 s. */
        public Builder handshakeTimeout(Duration timeout) {
            settings.handshakeTimeout(timeout);
            return this;
        }

        /**
         * Connects; blocks until the handshake is done.
         *
         * @throws PbException if the server cannot be reached or is not a jpb server
         * @throws IllegalArgumentException if a registered class cannot travel by copy
         */
        public PbClient connect(String host, int port) {
            requireNonNull(host, "host");
            checkArgument(port > 0 && port <= 65535, "port: %s (expected: 1..65535)", port);
            ExecutorService owned = settings.executor() == null
                    ? Transport.newUserExecutor("jpb-client") : null;
            BrokerConfig config = settings.toConfig(owned);
            EventLoopGroup group = Transport.newEventLoopGroup(1, "jpb-client-io");
            CompletableFuture<Broker> handshake = new CompletableFuture<>();
            Bootstrap bootstrap = new Bootstrap()
                    .group(group)
                    .channel(Transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .handler(new PbChannelInitializer(config, (ch, f) -> f.whenComplete(
                            (b, t) -> {
                                if (t != null) {
                                    handshake.completeExceptionally(t);
                                } else {
                                    handshake.complete(b);
                                }
                            })));
            try {
                ChannelFuture cf = bootstrap.connect(host, port).await();
                if (!cf.isSuccess()) {
                    throw new PbException("cannot connect to " + host + ":" + port + ": "
                            + cf.cause().getMessage(), cf.cause());
                }
                Broker broker = handshake.get(settings.handshakeTimeout().toMillis() + 1000,
                        TimeUnit.MILLISECONDS);
                return new PbClient(broker, group, owned);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                shutdown(group, owned);
                throw new PbException("interrupted while connecting to " + host + ":" + port, e);
            } catch (ExecutionException e) {
                shutdown(group, owned);
                Throwable cause = e.getCause();
                throw cause instanceof PbException pe ? pe
                        : new PbException("cannot connect to " + host + ":" + port, cause);
            } catch (TimeoutException e) {
                shutdown(group, owned);
                throw new PbException("no jpb handshake from " + host + ":" + port, e);
            } catch (RuntimeException e) {
                shutdown(group, owned);
                throw e;
            }
        }

        private static void shutdown(EventLoopGroup group, ExecutorService owned) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (owned != null) {
                owned.shutdown();
            }
        }
    }
}
