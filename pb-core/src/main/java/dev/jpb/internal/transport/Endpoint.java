package dev.jpb.internal.transport;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.broker.BrokerConfig;
import dev.jpb.internal.broker.EndpointSettings;
import dev.jpb.internal.broker.PbChannelInitializer;
import dev.jpb.internal.metrics.BrokerMetrics;
import dev.jpb.internal.metrics.MicrometerMetrics;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One end's frozen settings and the threads it runs on, shared by {@code PbServer} and {@code
 * PbClient}: who owns which thread (an executor or event loop group the application passed in
 * is never shut down; the ones made here are), the socket options, the pipeline (through
 * {@link PipelineConfigurator}) and shutdown. Made by a builder's {@code build()} (or {@code
 * connect()}): later changes to the builder do not reach it. Thread-safe.
 */
public final class Endpoint {
    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    // Marks the threads of this endpoint's own executor, so shutdown does not wait for itself.
    private static final ThreadLocal<Endpoint> OWNER = new ThreadLocal<>();
    private static final long LOCAL_QUIET_MILLIS = 20;

    private final String name;
    private final BrokerConfig config;
    private final ExecutorService ownedExecutor; // null if the application's
    private final EventLoopGroup sharedGroup; // the application's, never shut down here; or null
    private final int ioThreads;
    private final Duration connectTimeout;
    private final SslContext tls; // null: plaintext
    private final BrokerMetrics metrics; // BrokerMetrics.NONE without a registry
    private final boolean local; // in-process channels instead of TCP
    private EventLoopGroup ownedGroup; // guarded by this
    private EventLoopGroup acceptGroup; // guarded by this
    private boolean shutDown; // guarded by this

    private Endpoint(String name, EndpointSettings settings, EventLoopGroup sharedGroup,
            int ioThreads, Duration connectTimeout) {
        checkArgument(!settings.local() || sharedGroup == null, "eventLoopGroup: %s (expected:"
                + " none with the in-process transport, which makes its own)", sharedGroup);
        this.name = name;
        this.ownedExecutor = settings.executor() == null
                ? Transport.newUserExecutor(name, this::markOwned) : null;
        try {
            this.config = settings.toConfig(ownedExecutor);
        } catch (RuntimeException e) {
            if (ownedExecutor != null) {
                ownedExecutor.shutdown();
            }
            throw e;
        }
        this.sharedGroup = sharedGroup;
        this.ioThreads = ioThreads;
        this.connectTimeout = connectTimeout;
        this.tls = settings.tls();
        this.local = settings.local();
        // Micrometer's classes load only here, and only when the application passed a registry.
        this.metrics = settings.meterRegistry() == null ? BrokerMetrics.NONE
                : MicrometerMetrics.of(settings.meterRegistry(), name.substring(4));
    }

    /**
     * Freezes a server's settings.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public static Endpoint server(EndpointSettings settings, int ioThreads) {
        return new Endpoint("jpb-server", settings, null, ioThreads, null);
    }

    /**
     * Freezes a client's settings; {@code sharedGroup} (or null for a group of its own) runs
     * its I/O.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public static Endpoint client(EndpointSettings settings, EventLoopGroup sharedGroup,
            Duration connectTimeout) {
        return new Endpoint("jpb-client", settings, sharedGroup, 1,
                requireNonNull(connectTimeout, "connectTimeout"));
    }

    private Runnable markOwned(Runnable r) {
        return () -> {
            OWNER.set(this);
            r.run();
        };
    }

    /** Returns what every broker of this end shares. */
    public BrokerConfig config() {
        return config;
    }

    /**
     * Returns a server bootstrap on this end's threads (made now, owned by this endpoint):
     * one accepting thread, {@code ioThreads} I/O threads.
     *
     * @throws IllegalStateException once shut down
     */
    public synchronized ServerBootstrap serverBootstrap(
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake) {
        checkOpen();
        if (acceptGroup == null) {
            acceptGroup = local ? Transport.newLocalEventLoopGroup(1, name + "-accept")
                    : Transport.newEventLoopGroup(1, name + "-accept");
            ownedGroup = local ? Transport.newLocalEventLoopGroup(ioThreads, name + "-io")
                    : Transport.newEventLoopGroup(ioThreads, name + "-io");
        }
        if (local) {
            return new ServerBootstrap()
                    .group(acceptGroup, ownedGroup)
                    .channel(Transport.localServerChannelClass())
                    .childAttr(BrokerMetrics.KEY, metrics)
                    .childHandler(new PbChannelInitializer(config, onHandshake, tls, null, 0));
        }
        return new ServerBootstrap()
                .group(acceptGroup, ownedGroup)
                .channel(Transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true) // a restart may bind the same port
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childAttr(BrokerMetrics.KEY, metrics)
                .childHandler(new PbChannelInitializer(config, onHandshake, tls, null, 0));
    }

    /** Returns whether this end speaks TLS. */
    public boolean tls() {
        return tls != null;
    }

    /**
     * Returns a client bootstrap on the shared group, or on a one-thread group made now (owned).
     *
     * @throws IllegalStateException once shut down
     */
    public Bootstrap clientBootstrap(
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake) {
        return clientBootstrap(onHandshake, null, 0);
    }

    /**
     * Like {@link #clientBootstrap(BiConsumer)}, for connecting to {@code host:port}: with TLS,
     * the host name is what the server's certificate must name (unless a pin replaces that).
     *
     * @throws IllegalStateException once shut down
     */
    public synchronized Bootstrap clientBootstrap(
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake, String host, int port) {
        checkOpen();
        EventLoopGroup group = sharedGroup;
        if (group == null) {
            if (ownedGroup == null) {
                ownedGroup = local ? Transport.newLocalEventLoopGroup(1, name + "-io")
                        : Transport.newEventLoopGroup(1, name + "-io");
            }
            group = ownedGroup;
        }
        if (local) {
            return new Bootstrap()
                    .group(group)
                    .channel(Transport.localChannelClass())
                    .attr(BrokerMetrics.KEY, metrics)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                    .handler(new PbChannelInitializer(config, onHandshake, tls, host, port));
        }
        return new Bootstrap()
                .group(group)
                .channel(sharedGroup != null ? Transport.channelClass(sharedGroup)
                        : Transport.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .attr(BrokerMetrics.KEY, metrics)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .handler(new PbChannelInitializer(config, onHandshake, tls, host, port));
    }

    /**
     * Returns the address to connect to: {@code host:port} over TCP (unresolved, as Netty's
     * {@code connect(host, port)} makes it), or the in-process address named {@code host}.
     */
    public SocketAddress address(String host, int port) {
        return local ? new LocalAddress(host) : InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * Returns the address to listen on: {@code host:port} over TCP (resolved, as Netty's
     * {@code bind(host, port)} makes it), or the in-process address named {@code host}.
     */
    public SocketAddress bindAddress(String host, int port) {
        return local ? new LocalAddress(host) : new InetSocketAddress(host, port);
    }

    /** Returns whether this end uses the in-process transport. */
    public boolean local() {
        return local;
    }

    private void checkOpen() {
        if (shutDown) {
            throw new IllegalStateException(name + " already closed");
        }
    }

    /**
     * Stops the threads this endpoint made, waiting up to {@code timeout} for its event loops
     * and again for its executor's threads (unless called from one of them), so that they are
     * gone when this returns; leaves the application's executor and group running. Idempotent.
     */
    public void shutdown(long timeout, TimeUnit unit) {
        EventLoopGroup io;
        EventLoopGroup accept;
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            io = ownedGroup;
            accept = acceptGroup;
        }
        if (io != null) {
            // In-process, the peer's channel closes this one's last by a task on its loop:
            // a short quiet period lets that task in instead of refusing it (Netty warns).
            io.shutdownGracefully(local ? LOCAL_QUIET_MILLIS : 0, unit.toMillis(timeout),
                    TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        if (accept != null) {
            accept.shutdownGracefully(0, timeout, unit).syncUninterruptibly();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            if (OWNER.get() != this) {
                try {
                    if (!ownedExecutor.awaitTermination(timeout, unit)) {
                        log.warn("{}: application code still running {} {} after close",
                                name, timeout, unit);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Like {@link #shutdown}, without waiting for the event loops to stop. */
    public void shutdownNow() {
        EventLoopGroup io;
        EventLoopGroup accept;
        synchronized (this) {
            if (shutDown) {
                return;
            }
            shutDown = true;
            io = ownedGroup;
            accept = acceptGroup;
        }
        if (io != null) {
            io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (accept != null) {
            accept.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }
}
