package dev.jpb.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Every handler on a jpb channel, in pipeline order, by name. The same on both ends:
 *
 * <ol>
 *   <li>{@value #TLS}: TLS, when configured (not yet: see {@link #initial});
 *   <li>{@value #HANDSHAKE}: sends and checks the hello (docs/protocol.md §2), then leaves;
 *   <li>{@value #FRAMES}: splits the byte stream into frame bodies (§3), from the handshake on;
 *   <li>{@value #BROKER}: the connection's broker, which reads each frame's header on the
 *       event loop and writes through its outbox (one flush per batch, so no flush
 *       consolidation handler is needed).
 * </ol>
 */
public final class PipelineConfigurator {
    /** The TLS handler's name (first in the pipeline once TLS exists). */
    public static final String TLS = "jpb-tls";
    /** The handshake handler's name. */
    public static final String HANDSHAKE = "jpb-handshake";
    /** The frame decoder's name. */
    public static final String FRAMES = "jpb-frames";
    /** The broker's name. */
    public static final String BROKER = "jpb-broker";

    private PipelineConfigurator() {
    }

    /** Installs what a new channel starts with. */
    public static void initial(ChannelPipeline pipeline, ChannelHandler handshake) {
        // ---- TLS goes here, first of all: pipeline.addLast(TLS, sslHandler) -------------------
        // (added by the TLS work: everything below then runs over the decrypted stream)
        pipeline.addLast(HANDSHAKE, handshake);
    }

    /**
     * Installs framing and the broker right after the handshake handler, which then removes
     * itself (handing any bytes read past the hello to the frame decoder).
     *
     * @param maxFrameBytes the largest frame body this end accepts
     */
    public static void afterHandshake(ChannelPipeline pipeline, int maxFrameBytes,
            ChannelHandler broker) {
        pipeline
                // Netty's limit counts the 4-byte prefix; ours counts the body.
                .addAfter(HANDSHAKE, FRAMES, new LengthFieldBasedFrameDecoder(
                        (int) Math.min(Integer.MAX_VALUE, maxFrameBytes + 4L), 0, 4, 0, 4, true))
                .addAfter(FRAMES, BROKER, broker);
    }
}
