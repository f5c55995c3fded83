package dev.jpb.benchmarks;

import dev.jpb.internal.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * W6's floor: the least a Netty program can do to fan a message out. A server with {@code n}
 * connections writes one small frame (a 4-byte length, then {@value FanOut#PAYLOAD_BYTES}
 * bytes) to each, with a flush per channel, and the clients count the frames on their event
 * loops. The clients share one event loop group of two threads, as in {@link JpbClients}; the
 * server has jpb's default I/O threads (one per processor). Same transport as jpb.
 *
 * <p>Made with {@code handOff}, the clients obey jpb's threading rule (user code on the
 * application's executor, never on an event loop) in the cheapest way a Netty program can:
 * each client event loop counts the frames it reads in one loop iteration and, after the
 * iteration, hands them to a shared executor of {@value JpbClients#SHARED_THREADS} threads (as
 * {@link JpbClients}'s) in one task, which counts them there. No order, no decoding: what the
 * hand-off alone costs.
 */
final class FloorFanOut implements FanOut {
    private final int n;
    private final Deliveries deliveries = new Deliveries();
    private final List<Channel> serverChannels = new CopyOnWriteArrayList<>();
    private final EventLoopGroup boss = Transport.newEventLoopGroup(1, "w6-floor-accept");
    private final EventLoopGroup workers = Transport.newEventLoopGroup(
            Math.max(1, Runtime.getRuntime().availableProcessors()), "w6-floor-server-io");
    private final EventLoopGroup clientGroup = Transport.newEventLoopGroup(
            JpbClients.SHARED_THREADS, "w6-floor-client-io");
    private final List<Channel> clients = new ArrayList<>();
    private final ByteBuf frame = Unpooled.directBuffer(4 + PAYLOAD_BYTES)
            .writeInt(PAYLOAD_BYTES).writeZero(PAYLOAD_BYTES);
    private final CountDownLatch accepted;
    private final ExecutorService executor; // null: the frames are counted on the event loops
    private final FastThreadLocal<LoopCount> loopCounts = new FastThreadLocal<>() {
        @Override
        protected LoopCount initialValue() {
            return new LoopCount();
        }
    };
    private volatile Thread countedOn; // the thread of the last hand-off's count
    private Channel listener;

    /**
     * Starts the server and connects {@code n} clients.
     *
     * @throws Exception if they are not all connected within 60 s
     */
    FloorFanOut(int n) throws Exception {
        this(n, false);
    }

    /**
     * As {@link #FloorFanOut(int)}; with {@code handOff}, the clients count the frames on an
     * executor, each loop iteration's in one task.
     */
    FloorFanOut(int n, boolean handOff) throws Exception {
        this.n = n;
        this.executor = handOff ? Executors.newFixedThreadPool(JpbClients.SHARED_THREADS,
                new DefaultThreadFactory("w6-floor-client", true)) : null;
        this.accepted = new CountDownLatch(n);
        try {
            listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transport.serverChannelClass())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            serverChannels.add(ch);
                            accepted.countDown();
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Bootstrap bootstrap = new Bootstrap()
                    .group(clientGroup)
                    .channel(Transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(1 << 16,
                                    0, 4, 0, 4), new Counter());
                        }
                    });
            List<ChannelFuture> connects = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                connects.add(bootstrap.connect("127.0.0.1", port));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (ChannelFuture f : connects) {
                long left = deadline - System.nanoTime();
                if (!f.await(Math.max(0, left), TimeUnit.NANOSECONDS) || !f.isSuccess()) {
                    throw new TimeoutException("floor client did not connect: " + f.cause());
                }
                clients.add(f.channel());
            }
            if (!accepted.await(Math.max(0, deadline - System.nanoTime()),
                    TimeUnit.NANOSECONDS)) {
                throw new TimeoutException(serverChannels.size() + " of " + n
                        + " floor connections accepted after 60 s");
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /**
     * Writes the frame to every connection and waits until every client has read it.
     *
     * @throws TimeoutException if some frames have not arrived after 30 s
     */
    @Override
    public void deliverToAll() throws InterruptedException, TimeoutException {
        deliveries.expect(n);
        for (Channel ch : serverChannels) {
            ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
        }
        deliveries.await(n);
    }

    /** Returns the thread that counted the last frames handed off, or null (none yet). */
    Thread countedOn() {
        return countedOn;
    }

    @Override
    public void close() {
        for (Channel ch : clients) {
            ch.close();
        }
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        if (executor != null) {
            executor.shutdown();
        }
        if (listener != null) {
            listener.close();
        }
        frame.release();
    }

    /** Counts each frame a client reads. */
    private final class Counter extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            if (executor == null) {
                deliveries.delivered();
                return;
            }
            LoopCount count = loopCounts.get(); // this event loop's
            if (count.frames++ == 0) {
                ((SingleThreadEventLoop) ctx.channel().eventLoop())
                        .executeAfterEventLoopIteration(count.handOver);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The frames one client event loop read in its current iteration; used on that loop. */
    private final class LoopCount {
        private int frames;
        private final Runnable handOver = this::handOver;

        // After the iteration: one executor task counts them all.
        private void handOver() {
            int k = frames;
            frames = 0;
            executor.execute(() -> {
                countedOn = Thread.currentThread();
                for (int i = 0; i < k; i++) {
                    deliveries.delivered();
                }
            });
        }
    }
}
