package dev.jpb.examples.lab.http;

import static java.util.Objects.requireNonNull;

import dev.jpb.examples.lab.data.LabStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A read-only JSON view of the lab's people over plain HTTP, so that a script or a browser
 * reads the data without a jpb client: {@code GET /api/people} (all, ascending by id) and
 * {@code GET /api/people/ID} (one). Anything else is answered 404 or 405 with a JSON
 * {@code {"error": ...}} body.
 *
 * <p>Netty's HTTP codec on its own port and I/O thread; the database is read on a thread of
 * this server's own, never on the I/O thread. {@link #close()} stops both; the store stays
 * open (its owner closes it).
 */
public final class PeopleHttpServer implements AutoCloseable {
    /** Largest request (headers and body) accepted; a GET needs far less. */
    static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final EventLoopGroup group;
    private final ExecutorService reads;
    private final Channel channel;

    private PeopleHttpServer(EventLoopGroup group, ExecutorService reads, Channel channel) {
        this.group = group;
        this.reads = reads;
        this.channel = channel;
    }

    /**
     * Binds {@code host:port} (0 = any free port) and serves {@code store}'s people.
     *
     * @throws IllegalStateException if the port cannot be bound
     */
    public static PeopleHttpServer start(LabStore store, String host, int port) {
        requireNonNull(store, "store");
        requireNonNull(host, "host");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ExecutorService reads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "lab-http-reads");
            t.setDaemon(true);
            return t;
        });
        PeopleHandler handler = new PeopleHandler(store, reads);
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast("http", new HttpServerCodec())
                                    .addLast("aggregate",
                                            new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                    .addLast("people", handler);
                        }
                    })
                    .bind(host, port).syncUninterruptibly().channel();
            return new PeopleHttpServer(group, reads, channel);
        } catch (Exception e) { // bind() rethrows a checked BindException undeclared
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            reads.shutdownNow();
            throw new IllegalStateException("cannot serve HTTP on " + host + ":" + port
                    + " (" + e + "); pick another --http-port", e);
        }
    }

    /** Returns the bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops listening, closes open connections and waits for the threads to end. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        reads.shutdownNow();
    }
}
