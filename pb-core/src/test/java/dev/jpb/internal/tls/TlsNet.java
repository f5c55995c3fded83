package dev.jpb.internal.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Plain Netty servers and clients on 127.0.0.1 for the TLS tests: no jpb pipeline involved. */
final class TlsNet implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** Binds 127.0.0.1:0 with the given pipeline per accepted channel; returns the port. */
    int server(Consumer<ChannelPipeline> init) {
        Channel channel = new ServerBootstrap().group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch.pipeline());
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** A TLS echo server: [ExpectTlsHandler, SslHandler(handshake timeout), Echo]. */
    int tlsEchoServer(SslContext context, long handshakeTimeoutMillis) {
        return server(p -> {
            SslHandler ssl = context.newHandler(p.channel().alloc());
            ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            p.addLast(new ExpectTlsHandler(true), ssl, new Echo());
        });
    }

    /** Connects to 127.0.0.1:port with [optional guard, SslHandler(host), Probe]. */
    Probe tlsClient(SslContext context, String host, int port, boolean guard) {
        Probe probe = new Probe();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        SslHandler ssl = context.newHandler(ch.alloc(), host, port);
                        ssl.setHandshakeTimeoutMillis(5_000);
                        probe.ssl = ssl;
                        if (guard) {
                            ch.pipeline().addLast(new ExpectTlsHandler(false));
                        }
                        ch.pipeline().addLast(ssl, probe);
                        ssl.handshakeFuture().addListener(f -> {
                            if (f.isSuccess()) {
                                probe.handshake.complete(ssl.engine().getSession().getProtocol());
                            } else {
                                probe.handshake.completeExceptionally(f.cause());
                            }
                        });
                    }
                })
                .connect("127.0.0.1", port).addListener(f -> {
                    if (!f.isSuccess()) {
                        probe.handshake.completeExceptionally(f.cause());
                    }
                });
        return probe;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Writes back whatever it reads. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** The client's end: handshake outcome, first error, echoed text, close. */
    static final class Probe extends ChannelInboundHandlerAdapter {
        final CompletableFuture<String> handshake = new CompletableFuture<>();
        final CompletableFuture<Throwable> firstError = new CompletableFuture<>();
        final CompletableFuture<String> echoed = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        volatile SslHandler ssl;
        private volatile Channel channel;
        private final StringBuilder received = new StringBuilder(); // guarded by the event loop
        private volatile int expected = Integer.MAX_VALUE;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            ctx.fireChannelActive();
        }

        /** Sends text once the handshake succeeded; {@link #echoed} completes with the echo. */
        CompletableFuture<String> roundTrip(String text) {
            return request(text, text.length());
        }

        /** Sends text once the handshake succeeded; completes with the first replyLength chars. */
        CompletableFuture<String> request(String text, int replyLength) {
            expected = replyLength;
            handshake.thenRun(() -> channel.writeAndFlush(
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8)));
            return echoed;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                received.append(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                if (received.length() >= expected) {
                    echoed.complete(received.toString());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            firstError.complete(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closed.complete(null);
        }
    }
}
