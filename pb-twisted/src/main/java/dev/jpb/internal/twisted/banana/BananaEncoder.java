package dev.jpb.internal.twisted.banana;

import static java.util.Objects.requireNonNull;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.buffer.ByteBuf;

/**
 * Writes expressions as Banana (see {@link Banana}); a value Banana cannot carry fails the
 * write's promise with the {@link dev.jpb.twisted.BananaException} as cause.
 *
 * <p>One instance per channel (the dialect is per connection), used on its event loop.
 */
public final class BananaEncoder extends MessageToByteEncoder<Object> {
    private final BananaLimits limits;
    private boolean pbDialect; // guarded by the event loop

    /**
     * Creates an encoder.
     *
     * @param limits the bounds the peer enforces
     */
    public BananaEncoder(BananaLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** Sends atoms as vocabulary numbers from now on. */
    public void selectPbDialect() {
        pbDialect = true;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        Banana.encode(msg, out, pbDialect, limits);
    }
}
