package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.RemoteCallException;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayDeque;

/**
 * Reads a broker's frames on its event loop: one switch over message kinds, as
 * {@code docs/protocol.md} lists them. A value that cannot be decoded fails that one message
 * (and counts as a violation); a frame whose header cannot be read closes the connection.
 */
final class Inbound extends ChannelInboundHandlerAdapter {
    private static final FastThreadLocal<Input> INPUTS = new FastThreadLocal<>() {
        @Override
        protected Input initialValue() {
            return ValueCodec.newInput();
        }
    };
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;

    private final Broker broker;
    // Frames already read while calls are paused (back-pressure): served once calls drain.
    private final ArrayDeque<ByteBuf> deferred = new ArrayDeque<>(); // guarded by the event loop
    private ChannelHandlerContext ctx;

    Inbound(Broker broker) {
        this.broker = broker;
        broker.inbound = this;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (!ctx.channel().isActive()) {
            frame.release(); // closing already: the rest of this read is moot
            return;
        }
        if ((broker.isPaused() || !deferred.isEmpty()) && !bypassesPause(frame)) {
            deferred.add(frame);
            return;
        }
        read(ctx, frame);
    }

    // Answers must get through while calls are paused (a paused call may be waiting for one),
    // and so must the type definitions they may use; definitions only ever add names.
    private static boolean bypassesPause(ByteBuf frame) {
        if (!frame.isReadable()) {
            return false;
        }
        int kind = frame.getUnsignedByte(frame.readerIndex());
        return kind == MessageKind.ANSWER || kind == MessageKind.ERROR
                || kind == MessageKind.TYPES;
    }

    /** Serves deferred frames until none are left or calls pause again; on the event loop. */
    void resume() {
        ByteBuf frame;
        while (!broker.isPaused() && (frame = deferred.poll()) != null) {
            read(ctx, frame);
        }
    }

    private void read(ChannelHandlerContext ctx, ByteBuf frame) {
        Input in = INPUTS.get();
        try {
            int n = frame.readableBytes();
            byte[] buffer = in.getBuffer();
            if (buffer == null || buffer.length < n) {
                buffer = new byte[Math.max(n, 1024)];
            }
            frame.readBytes(buffer, 0, n);
            in.setBuffer(buffer, 0, n);
            handle(in);
        } catch (ProtocolException | KryoException | IndexOutOfBoundsException e) {
            Broker.log.warn("{}: closing: undecodable frame: {}", broker, e.toString());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(frame);
            if (in.getBuffer().length > KEEP_BUFFER_BYTES) {
                in.setBuffer(new byte[1024], 0, 0);
            }
        }
    }

    private void handle(Input in) {
        if (in.limit() == 0) {
            throw new ProtocolException("empty frame");
        }
        int kind = in.readByteUnsigned();
        switch (kind) {
            case MessageKind.CALL -> handleCall(in);
            case MessageKind.ANSWER -> handleAnswer(in);
            case MessageKind.ERROR -> handleError(in);
            case MessageKind.DECREF -> handleDecref(in);
            case MessageKind.TYPES -> handleTypes(in);
            case MessageKind.ROOT -> handleRoot(in);
            default -> throw new ProtocolException("unknown message kind " + kind);
        }
    }

    private void handleCall(Input in) {
        long requestId = in.readVarLong(true);
        long targetId = in.readVarLong(true);
        String method = WireStrings.read(in);
        int argc = in.readVarInt(true);
        if (method == null || argc < 0 || argc > in.limit() - in.position()) {
            throw new ProtocolException("malformed call header");
        }
        Object[] args;
        try {
            args = broker.config.codec().read(in, argc, broker.session);
        } catch (PbException e) {
            broker.violation("call remote_" + method + ": " + e.getMessage());
            if (requestId != 0) {
                broker.enqueue(new Outbound.Failure(requestId, asError(e)));
            }
            return;
        }
        // Resolve the target now, in arrival order: a release that follows the call on the wire
        // must not remove it before the call runs.
        broker.dispatch(requestId, targetId, broker.exports.get(targetId), method, args);
    }

    private void handleAnswer(Input in) {
        long requestId = in.readVarLong(true);
        PbFuture<Object> f = broker.pending.remove(requestId);
        if (f == null) {
            broker.violation("answer to unknown request " + requestId);
            return;
        }
        try {
            Object value = broker.config.codec().read(in, 1, broker.session)[0];
            broker.complete(f, value, null);
        } catch (PbException e) {
            broker.complete(f, null, e);
        }
    }

    private void handleError(Input in) {
        long requestId = in.readVarLong(true);
        String type = WireStrings.read(in);
        String message = WireStrings.read(in);
        String trace = WireStrings.read(in);
        boolean hasObject = in.readByte() != 0;
        PbFuture<Object> f = broker.pending.remove(requestId);
        if (f == null) {
            broker.violation("error answer to unknown request " + requestId);
            return;
        }
        Throwable error = null;
        if (hasObject) {
            try {
                Object decoded = broker.config.codec().read(in, 1, broker.session)[0];
                if (decoded instanceof PbError pbError) {
                    error = pbError;
                }
            } catch (PbException e) {
                Broker.log.debug("{}: {} arrives by name: {}", broker, type, e.getMessage());
            }
        }
        if (error == null) {
            error = new RemoteCallException(type == null ? "unknown" : type, message, trace);
        }
        broker.complete(f, null, error);
    }

    private void handleDecref(Input in) {
        int count = in.readVarInt(true);
        if (count < 0 || count > in.limit() - in.position()) {
            throw new ProtocolException("decref count " + count + " runs past the frame");
        }
        for (int i = 0; i < count; i++) {
            long id = in.readVarLong(true);
            int n = in.readVarInt(true);
            if (n <= 0 || !broker.exports.release(id, n)) {
                broker.violation("decref of " + n + " for object " + id
                        + ", which was not sent that often");
            }
        }
    }

    private void handleTypes(Input in) {
        int firstId = in.readVarInt(true);
        int count = in.readVarInt(true);
        if (count < 0 || count > in.limit() - in.position()) {
            throw new ProtocolException("type count " + count + " runs past the frame");
        }
        for (int i = 0; i < count; i++) {
            String name = WireStrings.read(in);
            String problem = name == null ? "null type name"
                    : broker.session.types().define(firstId + i, name,
                            broker.config.codec().registry());
            if (problem != null) {
                throw new ProtocolException(problem);
            }
        }
    }

    private void handleRoot(Input in) {
        broker.serveRoot(in.readVarLong(true));
    }

    private static Throwable asError(PbException e) {
        return e instanceof ProtocolException ? new PbError(e.getMessage()) : e;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ByteBuf frame;
        while ((frame = deferred.poll()) != null) {
            frame.release();
        }
        broker.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            Broker.log.debug("{}: I/O error: {}", broker, cause.toString());
        } else {
            Broker.log.warn("{}: closing: {}", broker, cause.toString());
        }
        ctx.close();
    }
}
