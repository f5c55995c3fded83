package dev.jpb.benchmarks;

import dev.jpb.internal.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor every RPC workload is measured against: a hand-written Netty ping-pong doing the
 * least work an {@code add(a, b)} call can do, on the transport jpb uses (epoll when jpb uses
 * it). Frames are a 4-byte length then the payload; a request is {@code id:long a:int b:int},
 * an answer {@code id:long sum:int}. The client keeps a {@link CompletableFuture} per call in a
 * {@link ConcurrentHashMap}, completed on its event loop; both ends flush once per batch.
 */
final class Floor {
    private static final int MAX_FRAME = 1 << 16;

    private Floor() {
    }

    /** The server: answers each request in the read that brought it, flushes per read batch. */
    static final class Server implements AutoCloseable {
        private final EventLoopGroup boss = Transport.newEventLoopGroup(1, "floor-accept");
        private final EventLoopGroup workers = Transport.newEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors()), "floor-server-io");
        private final Channel channel;

        Server() throws InterruptedException {
            channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transport.serverChannelClass())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(frames(), AddHandler.INSTANCE);
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
        }

        int port() {
            return ((InetSocketAddress) channel.localAddress()).getPort();
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Sharable
    private static final class AddHandler extends ChannelInboundHandlerAdapter {
        static final AddHandler INSTANCE = new AddHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            long id;
            int sum;
            try {
                id = in.readLong();
                sum = in.readInt() + in.readInt();
            } finally {
                in.release();
            }
            ByteBuf out = ctx.alloc().ioBuffer(16);
            out.writeInt(12).writeLong(id).writeInt(sum);
            ctx.write(out, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * The client. {@link #add} may be called from any thread: requests are queued and written
     * by one task on the event loop, with one flush for all that were queued (as jpb's outbox).
     */
    static final class Client implements AutoCloseable {
        private final EventLoopGroup group = Transport.newEventLoopGroup(1, "floor-client-io");
        private final Map<Long, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final Runnable drainTask = this::drain;
        private final Channel channel;

        Client(int port) throws InterruptedException {
            channel = new Bootstrap()
                    .group(group)
                    .channel(Transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(frames(), new AnswerHandler());
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
        }

        /** Sends {@code add(a, b)}; the future completes on the client's event loop. */
        CompletableFuture<Integer> add(int a, int b) {
            long id = ids.incrementAndGet();
            CompletableFuture<Integer> f = new CompletableFuture<>();
            pending.put(id, f);
            queue.add(new Request(id, a, b));
            if (drainScheduled.compareAndSet(false, true)) {
                channel.eventLoop().execute(drainTask);
            }
            return f;
        }

        private void drain() {
            drainScheduled.set(false);
            Request r;
            boolean wrote = false;
            while ((r = queue.poll()) != null) {
                ByteBuf out = channel.alloc().ioBuffer(20);
                out.writeInt(16).writeLong(r.id).writeInt(r.a).writeInt(r.b);
                channel.write(out, channel.voidPromise());
                wrote = true;
            }
            if (wrote) {
                channel.flush();
            }
        }

        @Override
        public void close() {
            channel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }

        private final class AnswerHandler extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf in = (ByteBuf) msg;
                long id;
                int sum;
                try {
                    id = in.readLong();
                    sum = in.readInt();
                } finally {
                    in.release();
                }
                CompletableFuture<Integer> f = pending.remove(id);
                if (f != null) {
                    f.complete(sum);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                IllegalStateException lost = new IllegalStateException("floor connection lost");
                pending.values().forEach(f -> f.completeExceptionally(lost));
                pending.clear();
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    private record Request(long id, int a, int b) {
    }

    private static LengthFieldBasedFrameDecoder frames() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4);
    }
}
