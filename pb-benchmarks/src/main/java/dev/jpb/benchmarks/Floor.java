package dev.jpb.benchmarks;

import dev.jpb.internal.transport.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.HashMap;
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
 * least work each call can do, on the transport jpb uses (epoll when jpb uses it). Frames are
 * a 4-byte length, then {@code kind:byte id:long} and the kind's body:
 *
 * <ul>
 *   <li>{@code add(a, b)} (W1, W2): {@link #ADD} {@code a:int b:int}, answered by
 *       {@link #INT_ANSWER} {@code sum:int};
 *   <li>{@code echo(bytes)} (W3): {@link #ECHO} then the bytes, answered by
 *       {@link #BYTES_ANSWER} then the same bytes. The server reads them into a
 *       {@code byte[]} and writes that back, the client reads the answer into a new
 *       {@code byte[]}: the copies any API taking and returning a {@code byte[]} makes;
 *   <li>{@code withCallback(a)} (W4): {@link #WITH_CALLBACK} {@code a:int}; the server calls
 *       back with {@link #PING} {@code a:int} under an id of its own (kept in a
 *       {@link HashMap} with the request's id, confined to its event loop), the client's
 *       event loop answers {@link #PING_ANSWER} {@code a + 1}, and the server answers the
 *       request with {@link #INT_ANSWER} {@code a + 1}.
 * </ul>
 *
 * <p>The client keeps a {@link CompletableFuture} per call in a {@link ConcurrentHashMap},
 * completed on its event loop; both ends answer in the read that brought the request and flush
 * once per batch.
 */
final class Floor {
    /** Client to server: {@code add(a, b)}. */
    static final byte ADD = 1;
    /** Client to server: {@code echo(bytes)}. */
    static final byte ECHO = 2;
    /** Client to server: {@code withCallback(a)}. */
    static final byte WITH_CALLBACK = 3;
    /** Client to server: the answer to a {@link #PING}. */
    static final byte PING_ANSWER = 4;
    /** Server to client: an {@code int} answer. */
    static final byte INT_ANSWER = 5;
    /** Server to client: a {@code byte[]} answer. */
    static final byte BYTES_ANSWER = 6;
    /** Server to client: the callback of a {@link #WITH_CALLBACK}. */
    static final byte PING = 7;

    private static final int MAX_FRAME = 1 << 16;
    private static final int HEADER = 4 + 1 + 8; // length, kind, id

    private Floor() {
    }

    /**
     * The server: answers each request (or calls back) in the read that brought it, flushes
     * per read batch.
     */
    static final class Server implements AutoCloseable {
        private final EventLoopGroup boss = Transport.newEventLoopGroup(1, "floor-accept");
        private final EventLoopGroup workers = Transport.newEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors()), "floor-server-io");
        private final Channel channel;

        Server() throws InterruptedException {
            this(null);
        }

        /** A server that speaks TLS from {@code tls} (a server context), or plaintext if null. */
        Server(SslContext tls) throws InterruptedException {
            channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(Transport.serverChannelClass())
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                            }
                            ch.pipeline().addLast(frames(), new ServerHandler());
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

    /** One per connection: it holds the connection's callbacks awaiting their answers. */
    private static final class ServerHandler extends ChannelInboundHandlerAdapter {
        private final Map<Long, Long> callbacks = new HashMap<>(); // ping id -> request id
        private long nextPingId;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                byte kind = in.readByte();
                long id = in.readLong();
                switch (kind) {
                    case ADD -> writeInt(ctx, INT_ANSWER, id, in.readInt() + in.readInt());
                    case ECHO -> {
                        byte[] payload = new byte[in.readableBytes()];
                        in.readBytes(payload);
                        writeBytes(ctx, BYTES_ANSWER, id, payload);
                    }
                    case WITH_CALLBACK -> {
                        long pingId = ++nextPingId;
                        callbacks.put(pingId, id);
                        writeInt(ctx, PING, pingId, in.readInt());
                    }
                    case PING_ANSWER -> {
                        Long requestId = callbacks.remove(id);
                        if (requestId == null) {
                            throw new IllegalStateException("answer to unknown ping " + id);
                        }
                        writeInt(ctx, INT_ANSWER, requestId, in.readInt());
                    }
                    default -> throw new IllegalStateException("unknown frame kind " + kind);
                }
            } finally {
                in.release();
            }
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
     * The client. Its calls may be made from any thread: requests are queued and written by
     * one task on the event loop, with one flush for all that were queued (as jpb's outbox).
     * Its event loop answers the server's {@link #PING} callbacks with {@code a + 1}.
     */
    static final class Client implements AutoCloseable {
        private final EventLoopGroup group = Transport.newEventLoopGroup(1, "floor-client-io");
        private final Map<Long, CompletableFuture<Object>> pending = new ConcurrentHashMap<>();
        private final AtomicLong ids = new AtomicLong();
        private final Queue<Request> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final Runnable drainTask = this::drain;
        private final Channel channel;

        Client(int port) throws InterruptedException {
            this(port, null);
        }

        /**
         * A client that speaks TLS from {@code tls} (a client context), or plaintext if null;
         * requests written before the TLS handshake is done wait in the SslHandler.
         */
        Client(int port, SslContext tls) throws InterruptedException {
            channel = new Bootstrap()
                    .group(group)
                    .channel(Transport.channelClass())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            if (tls != null) {
                                ch.pipeline().addLast(tls.newHandler(ch.alloc(), "127.0.0.1",
                                        port));
                            }
                            ch.pipeline().addLast(frames(), new AnswerHandler());
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
        }

        /** Sends {@code add(a, b)}; the future completes on the client's event loop. */
        CompletableFuture<Integer> add(int a, int b) {
            return send(ADD, a, b, null);
        }

        /** Sends {@code echo(bytes)}; the future completes on the client's event loop. */
        CompletableFuture<byte[]> echo(byte[] bytes) {
            if (HEADER + bytes.length > MAX_FRAME) {
                throw new IllegalArgumentException("echo: " + bytes.length
                        + " bytes (expected: <= " + (MAX_FRAME - HEADER) + ")");
            }
            return send(ECHO, 0, 0, bytes);
        }

        /**
         * Sends {@code withCallback(a)}: the server pings this client's event loop, which
         * answers {@code a + 1}, and answers with that. The future completes on the client's
         * event loop.
         */
        CompletableFuture<Integer> withCallback(int a) {
            return send(WITH_CALLBACK, a, 0, null);
        }

        @SuppressWarnings("unchecked")
        private <T> CompletableFuture<T> send(byte kind, int a, int b, byte[] bytes) {
            long id = ids.incrementAndGet();
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.put(id, f);
            queue.add(new Request(kind, id, a, b, bytes));
            if (drainScheduled.compareAndSet(false, true)) {
                channel.eventLoop().execute(drainTask);
            }
            return (CompletableFuture<T>) (CompletableFuture<?>) f;
        }

        private void drain() {
            drainScheduled.set(false);
            Request r;
            boolean wrote = false;
            while ((r = queue.poll()) != null) {
                switch (r.kind) {
                    case ADD -> {
                        ByteBuf out = channel.alloc().ioBuffer(HEADER + 8);
                        out.writeInt(HEADER - 4 + 8).writeByte(ADD).writeLong(r.id)
                                .writeInt(r.a).writeInt(r.b);
                        channel.write(out, channel.voidPromise());
                    }
                    case ECHO -> writeBytes(channel, ECHO, r.id, r.bytes);
                    case WITH_CALLBACK -> writeInt(channel, WITH_CALLBACK, r.id, r.a);
                    default -> throw new AssertionError(r.kind);
                }
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
                byte kind;
                long id;
                Object value;
                try {
                    kind = in.readByte();
                    id = in.readLong();
                    if (kind == PING) {
                        writeInt(ctx, PING_ANSWER, id, in.readInt() + 1);
                        return;
                    }
                    if (kind == INT_ANSWER) {
                        value = in.readInt();
                    } else if (kind == BYTES_ANSWER) {
                        byte[] bytes = new byte[in.readableBytes()];
                        in.readBytes(bytes);
                        value = bytes;
                    } else {
                        throw new IllegalStateException("unknown frame kind " + kind);
                    }
                } finally {
                    in.release();
                }
                CompletableFuture<Object> f = pending.remove(id);
                if (f != null) {
                    f.complete(value);
                }
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush(); // the answers to pings
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

    /** A call waiting in the client's queue: {@code bytes} for echo, {@code a, b} otherwise. */
    private record Request(byte kind, long id, int a, int b, byte[] bytes) {
    }

    private static void writeInt(ChannelHandlerContext ctx, byte kind, long id, int value) {
        ctx.write(intFrame(ctx.alloc(), kind, id, value), ctx.voidPromise());
    }

    private static void writeInt(Channel channel, byte kind, long id, int value) {
        channel.write(intFrame(channel.alloc(), kind, id, value), channel.voidPromise());
    }

    private static ByteBuf intFrame(ByteBufAllocator alloc, byte kind, long id, int value) {
        ByteBuf out = alloc.ioBuffer(HEADER + 4);
        return out.writeInt(HEADER - 4 + 4).writeByte(kind).writeLong(id).writeInt(value);
    }

    private static void writeBytes(ChannelHandlerContext ctx, byte kind, long id, byte[] bytes) {
        ctx.write(bytesFrame(ctx.alloc(), kind, id, bytes), ctx.voidPromise());
    }

    private static void writeBytes(Channel channel, byte kind, long id, byte[] bytes) {
        channel.write(bytesFrame(channel.alloc(), kind, id, bytes), channel.voidPromise());
    }

    private static ByteBuf bytesFrame(ByteBufAllocator alloc, byte kind, long id, byte[] bytes) {
        ByteBuf out = alloc.ioBuffer(HEADER + bytes.length);
        return out.writeInt(HEADER - 4 + bytes.length).writeByte(kind).writeLong(id)
                .writeBytes(bytes);
    }

    private static LengthFieldBasedFrameDecoder frames() {
        return new LengthFieldBasedFrameDecoder(MAX_FRAME, 0, 4, 0, 4);
    }
}
