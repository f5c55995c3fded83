package dev.jpb.internal.transport;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Picks epoll when the native library loads, NIO otherwise; makes jpb's thread pools. */
public final class Transport {
    private static final boolean EPOLL = Epoll.isAvailable()
            && !Boolean.getBoolean("dev.jpb.noEpoll");

    private Transport() {
    }

    /** Returns whether epoll is in use. */
    public static boolean isEpoll() {
        return EPOLL;
    }

    /** Returns a new event loop group of {@code threads} daemon threads named {@code name-N}. */
    public static EventLoopGroup newEventLoopGroup(int threads, String name) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                factory);
    }

    /**
     * Returns a new event loop group for the in-process transport ({@link LocalChannel}): no
     * sockets, the bytes handed from one end's pipeline to the other's.
     */
    public static EventLoopGroup newLocalEventLoopGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                LocalIoHandler.newFactory());
    }

    /** Returns the server channel class of the in-process transport. */
    public static Class<? extends ServerChannel> localServerChannelClass() {
        return LocalServerChannel.class;
    }

    /** Returns the client channel class of the in-process transport. */
    public static Class<? extends Channel> localChannelClass() {
        return LocalChannel.class;
    }

    /** Returns the server channel class matching {@link #newEventLoopGroup}. */
    public static Class<? extends ServerChannel> serverChannelClass() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Returns the client channel class matching {@link #newEventLoopGroup}. */
    public static Class<? extends SocketChannel> channelClass() {
        return EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /**
     * Returns the client channel class matching the transport of {@code group}, an event loop
     * group made elsewhere: {@link EpollSocketChannel} for an epoll group, {@link
     * NioSocketChannel} for a NIO one, whatever {@link #isEpoll()} says.
     *
     * @throws IllegalArgumentException if {@code group} is neither an epoll nor a NIO
     *     {@link IoEventLoopGroup} (e.g. a {@code DefaultEventLoopGroup}, or io_uring)
     */
    public static Class<? extends SocketChannel> channelClass(EventLoopGroup group) {
        requireNonNull(group, "group");
        // Netty 4.2: every loop of a MultiThreadIoEventLoopGroup has the same IoHandler type,
        // and isIoType compares it exactly (EpollEventLoopGroup and NioEventLoopGroup are such
        // groups too). Naming EpollIoHandler.class does not load the native library.
        if (group instanceof IoEventLoopGroup io) {
            if (io.isIoType(EpollIoHandler.class)) {
                return EpollSocketChannel.class;
            }
            if (io.isIoType(NioIoHandler.class)) {
                return NioSocketChannel.class;
            }
        }
        throw new IllegalArgumentException("eventLoopGroup: " + group
                + " (expected: an epoll or NIO group, e.g. new MultiThreadIoEventLoopGroup("
                + "NioIoHandler.newFactory()))");
    }

    /**
     * Returns jpb's own executor for work the application's executor refused that must still
     * happen off the event loops (completing futures, running close listeners): daemon threads
     * made as needed, never shut down.
     */
    public static Executor fallbackExecutor() {
        return Fallback.EXECUTOR;
    }

    private static final class Fallback {
        static final ExecutorService EXECUTOR = newUserExecutor("jpb-fallback");
    }

    /**
     * Returns the default executor for application code: daemon threads made as needed and
     * kept 60 s idle, so a method blocked on a remote answer never starves the others.
     */
    public static ExecutorService newUserExecutor(String name) {
        return newUserExecutor(name, UnaryOperator.identity());
    }

    /** Like {@link #newUserExecutor(String)}; each thread runs {@code wrap} of its work. */
    public static ExecutorService newUserExecutor(String name, UnaryOperator<Runnable> wrap) {
        DefaultThreadFactory threads = new DefaultThreadFactory(name, true);
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> threads.newThread(wrap.apply(r)));
    }
}
