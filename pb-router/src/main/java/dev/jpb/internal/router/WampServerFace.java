package dev.jpb.internal.router;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The WAMP-over-WebSocket and HTTP face: one listening socket whose pipeline reads HTTP, turns
 * {@code GET /ws} upgrades into WAMP sessions and answers everything else with
 * {@link HttpFront}.
 */
public final class WampServerFace implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel serverChannel;

    /**
     * Binds the face.
     *
     * @param core      the router
     * @param settings  limits and bridge settings
     * @param host      the address to bind
     * @param port      the port, 0 for any
     * @param ioThreads event-loop threads
     */
    public WampServerFace(RouterCore core, FaceSettings settings, String host, int port,
            int ioThreads) {
        this.group = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        HttpFront.Bridges bridges = new HttpFront.Bridges();
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .subprotocols("wamp.2.json,wamp.2.msgpack")
                .maxFramePayloadLength(settings.maxMessageBytes())
                .handleCloseFrames(true)
                .dropPongFrames(true)
                .build();
        int low = Math.max(1, settings.maxQueuedBytes() / 2);
        try {
            this.serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                            new WriteBufferWaterMark(low, settings.maxQueuedBytes()))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ChannelPipeline p = ch.pipeline();
                            p.addLast("http", new HttpServerCodec());
                            p.addLast("aggregate", new HttpObjectAggregator(
                                    settings.maxHttpBytes()));
                            p.addLast("websocket", new WebSocketServerProtocolHandler(ws));
                            p.addLast("frames", new WebSocketFrameAggregator(
                                    settings.maxMessageBytes()));
                            p.addLast("front", new HttpFront(core, settings, bridges));
                        }
                    })
                    .bind(host, port).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("interrupted while binding " + host + ":" + port, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Returns the bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Closes the listening socket and every connection, and stops the threads. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
