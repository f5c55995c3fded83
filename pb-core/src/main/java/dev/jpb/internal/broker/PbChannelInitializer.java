package dev.jpb.internal.broker;

import dev.jpb.internal.transport.PipelineConfigurator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Sets up a new channel, on either end, as {@link PipelineConfigurator} lists: the handshake
 * first, which installs framing and the broker once both sides agree. {@code onHandshake}
 * receives the broker or the failure.
 */
public final class PbChannelInitializer extends ChannelInitializer<Channel> {
    private final BrokerConfig config;
    private final BiConsumer<Channel, CompletableFuture<Broker>> onHandshake;

    /** Creates the initializer; {@code onHandshake} is told of each channel's handshake. */
    public PbChannelInitializer(BrokerConfig config,
            BiConsumer<Channel, CompletableFuture<Broker>> onHandshake) {
        this.config = config;
        this.onHandshake = onHandshake;
    }

    @Override
    protected void initChannel(Channel ch) {
        CompletableFuture<Broker> handshake = new CompletableFuture<>();
        PipelineConfigurator.initial(ch.pipeline(), new HandshakeHandler(config, handshake));
        onHandshake.accept(ch, handshake);
    }
}
