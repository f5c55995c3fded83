package dev.jpb.internal.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;

/**
 * Every handler on a jpb channel, in pipeline order, by name. The same on both ends:
 *
 * <ol>
 *   <li>{@code jpb-log-context}: runs every inbound event with the connection's id and peer in
 *       the SLF4J MDC ({@link dev.jpb.internal.logging.LogContextHandler});
 *   <li>{@code jpb-metrics}, when the end has a meter registry: counts the bytes read and
 *       written ({@link dev.jpb.internal.metrics.BrokerMetrics#initChannel});
 *   <li>{@value #TLS_EXPECT}, when TLS is configured: looks at the peer's first bytes once
 *       and refuses plaintext jpb or garbage with a clear reason
 *       ({@link dev.jpb.internal.tls.ExpectTlsHandler}), then leaves;
 *   <li>{@value #TLS}: Netty's {@link SslHandler}, when TLS is configured: everything below
 *       runs over the decrypted stream, the hello included;
 *   <li>{@value #TLS_FLUSH}, when TLS is configured: flushes before a close reaches the
 *       SslHandler, since the broker's outbox may be holding a flush back to share a TLS
 *       record among several messages ({@link FlushBeforeClose});
 *   <li>{@value #HANDSHAKE}: sends and checks the hello (docs/protocol.md §2), then leaves;
 *   <li>{@value #KEEPALIVE}, when keepalive is on and the peer takes PING: notes every read,
 *       pings an idle peer and drops a silent one ({@link KeepAlive});
 *   <li>{@value #FRAMES}: splits the byte stream into frame bodies (§3), from the handshake on;
 *   <li>{@value #BROKER}: the connection's broker, which reads each frame's header on the
 *       event loop and writes through its outbox (one flush per batch, so no flush
 *       consolidation handler is needed; over TLS, one per batch of batches while more
 *       answers are about to follow).
 * </ol>
 */
public final class PipelineConfigurator {
    /** The name of the handler that checks the first bytes are TLS (when TLS is on). */
    public static final String TLS_EXPECT = "jpb-tls-expect";
    /** The TLS handler's name (when TLS is on). */
    public static final String TLS = "jpb-tls";
    /** The name of the handler that flushes before a close (when TLS is on). */
    public static final String TLS_FLUSH = "jpb-tls-flush";
    /** The handshake handler's name. */
    public static final String HANDSHAKE = "jpb-handshake";
    /** The keepalive handler's name (when keepalive is on). */
    public static final String KEEPALIVE = "jpb-keepalive";
    /** The frame decoder's name. */
    public static final String FRAMES = "jpb-frames";
    /** The broker's name. */
    public static final String BROKER = "jpb-broker";

    private PipelineConfigurator() {
    }

    /** Installs what a new plaintext channel starts with. */
    public static void initial(ChannelPipeline pipeline, ChannelHandler handshake) {
        pipeline.addLast(HANDSHAKE, handshake);
    }

    /**
     * Installs what a new TLS channel starts with: {@code expectTls}, then {@code tls}, then
     * {@value #TLS_FLUSH} and the handshake handler, which then runs over the decrypted stream.
     */
    public static void initial(ChannelPipeline pipeline, ChannelHandler expectTls,
            SslHandler tls, ChannelHandler handshake) {
        pipeline.addLast(TLS_EXPECT, expectTls).addLast(TLS, tls)
                .addLast(TLS_FLUSH, FlushBeforeClose.INSTANCE).addLast(HANDSHAKE, handshake);
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
