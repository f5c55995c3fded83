package dev.jpb.internal.twisted;

import static java.util.Objects.requireNonNull;

import dev.jpb.ConnectionLostException;
import dev.jpb.Root;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaEncoder;
import dev.jpb.internal.twisted.banana.BananaLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The threads and sockets of one {@code TwistedPbClient} or {@code TwistedPbServer}: an event
 * loop group, the executor user code runs on (owned unless passed in), the channels. The
 * pipeline of every channel is: Banana decoder, Banana encoder, broker.
 */
public final class Endpoint implements AutoCloseable {
    /**
     * An endpoint's configuration.
     *
     * @param registry   copy and error types
     * @param limits     Banana limits
     * @param maxExports most objects exported per connection
     * @param maxImports most references to the peer's objects held per connection
     * @param maxInFlightCalls most inbound calls queued or running per connection
     * @param executor   where user code runs, or {@code null} for an owned pool
     */
    public record Settings(CopyRegistry registry, BananaLimits limits, int maxExports,
            int maxImports, int maxInFlightCalls, Executor executor) {
    }

    // Native epoll where Netty has it (cheaper wake-ups), NIO otherwise.
    private static final boolean EPOLL = Epoll.isAvailable()
            && !Boolean.getBoolean("dev.jpb.noEpoll");

    private final Settings settings;
    private final EventLoopGroup group;
    private final ExecutorService ownedExecutor;
    private final Executor executor;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<TwistedBroker> brokers = new ArrayList<>(); // guarded by "this"
    private volatile Channel serverChannel;

    /** Creates the endpoint's threads. */
    public Endpoint(Settings settings, String name) {
        this.settings = requireNonNull(settings, "settings");
        IoHandlerFactory io = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory(name + "-io", true), io);
        if (settings.executor() == null) {
            ownedExecutor = Executors.newCachedThreadPool(
                    new DefaultThreadFactory(name + "-exec", true));
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
            executor = settings.executor();
        }
    }

    private ChannelInitializer<SocketChannel> initializer(boolean isClient, Root root,
            CompletableFuture<TwistedBroker> first) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                BananaDecoder decoder = new BananaDecoder(settings.limits());
                BananaEncoder encoder = new BananaEncoder(settings.limits());
                TwistedBroker broker = new TwistedBroker(isClient, root, settings.registry(),
                        settings.maxExports(), settings.maxImports(), settings.maxInFlightCalls(),
                        decoder, encoder, executor);
                ch.pipeline().addLast("banana-decoder", decoder)
                        .addLast("banana-encoder", encoder)
                        .addLast("broker", broker);
                channels.add(ch);
                synchronized (Endpoint.this) {
                    brokers.add(broker);
                }
                ch.closeFuture().addListener(f -> {
                    synchronized (Endpoint.this) {
                        brokers.remove(broker);
                    }
                });
                if (first != null) {
                    broker.ready().whenComplete((b, t) -> {
                        if (t != null) {
                            first.completeExceptionally(t);
                        } else {
                            first.complete(b);
                        }
                    });
                }
            }
        };
    }

    /**
     * Connects and returns the broker once the dialect is chosen.
     *
     * @throws ConnectionLostException through the future if the connection fails
     */
    public CompletableFuture<TwistedBroker> connect(String host, int port) {
        CompletableFuture<TwistedBroker> result = new CompletableFuture<>();
        Bootstrap b = new Bootstrap().group(group)
                .channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(initializer(true, null, result));
        b.connect(host, port).addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new ConnectionLostException(
                        "cannot connect to Twisted PB at " + host + ":" + port + ": "
                                + f.cause(), f.cause()));
            }
        });
        return result;
    }

    /** Binds a server socket serving {@code root}; returns once bound. */
    public int bind(String host, int port, Root root) throws InterruptedException {
        Class<? extends ServerSocketChannel> type = EPOLL ? EpollServerSocketChannel.class
                : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(initializer(false, root, null));
        ChannelFuture f = b.bind(host, port).sync();
        serverChannel = f.channel();
        channels.add(serverChannel);
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Returns the brokers of the open connections. */
    public synchronized Collection<TwistedBroker> brokers() {
        return List.copyOf(brokers);
    }

    /** Closes every channel, then the threads this endpoint owns. Idempotent. */
    @Override
    public void close() {
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        List<TwistedBroker> open;
        synchronized (this) {
            open = List.copyOf(brokers);
        }
        for (TwistedBroker broker : open) {
            broker.closeFuture().orTimeout(5, TimeUnit.SECONDS).exceptionally(t -> null).join();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5,
                TimeUnit.SECONDS);
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }
}
