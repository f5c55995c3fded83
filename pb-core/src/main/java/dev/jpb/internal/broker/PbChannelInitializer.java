package dev.jpb.internal.broker;

import dev.jpb.internal.logging.LogContextHandler;
import dev.jpb.internal.metrics.BrokerMetrics;
import dev.jpb.internal.tls.ExpectTlsHandler;
import dev.jpb.internal.tls.TlsContexts;
import dev.jpb.internal.transport.PipelineConfigurator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Sets up a new channel, on either end, as {@link PipelineConfigurator} lists: TLS first when
 * configured, then the handshake, which installs framing and the broker once both sides agree.
 * {@code onHandshake} receives the broker or the failure.
 */
public final class PbChannelInitializer extends ChannelInitializer<Channel> {
    private final BrokerConfig config;
    private final BiConsumer<Channel, CompletableFuture<Broker>> onHandshake;
    private final SslContext tls; // null: plaintext
    private final String peerHost; // a client's server host (SNI, hostname check), or null
    private final int peerPort;

    /** Creates a plaintext initializer; {@code onHandshake} hears of each handshake. */
    public PbChannelInitializer(BrokerConfig config,
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake) {
        this(config, onHandshake, null, null, 0);
    }

    /**
     * Creates an initializer that puts TLS from {@code tls} (or nothing, if null) under the
     * handshake; a client passes the host and port it connects to, so that the TLS engine can
     * check the server's certificate names that host.
     */
    public PbChannelInitializer(BrokerConfig config,
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake, SslContext tls,
            String peerHost, int peerPort) {
        this.config = config;
        this.onHandshake = onHandshake;
        this.tls = tls;
        this.peerHost = peerHost;
        this.peerPort = peerPort;
    }

    @Override
    protected void initChannel(Channel ch) {
        CompletableFuture<Broker> handshake = new CompletableFuture<>();
        HandshakeHandler handshaker = new HandshakeHandler(config, handshake,
                tls == null || tls.isServer() ? null : TlsContexts.presentsCertificate(tls));
        BrokerMetrics.of(ch).initChannel(ch);
        ch.pipeline().addFirst(LogContextHandler.NAME, LogContextHandler.INSTANCE);
        if (tls == null) {
            PipelineConfigurator.initial(ch.pipeline(), handshaker);
        } else {
            SslHandler ssl = peerHost == null ? tls.newHandler(ch.alloc())
                    : tls.newHandler(ch.alloc(), peerHost, peerPort);
            // The jpb handshake deadline bounds the TLS handshake too (it runs first).
            ssl.setHandshakeTimeoutMillis(config.handshakeTimeout().toMillis());
            PipelineConfigurator.initial(ch.pipeline(), new ExpectTlsHandler(tls.isServer()),
                    ssl, handshaker);
        }
        onHandshake.accept(ch, handshake);
    }
}
