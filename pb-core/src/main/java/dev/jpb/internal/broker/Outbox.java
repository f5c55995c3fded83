package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ConnectionLostException;
import dev.jpb.LimitExceededException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * Encodes a broker's queued messages on its event loop and writes them with one flush per
 * batch. Encoding here, in queue order, keeps type definitions ahead of their first use.
 */
final class Outbox {
    private static final Object[] NO_VALUES = new Object[0];
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    private static final FastThreadLocal<Output[]> OUTPUTS = new FastThreadLocal<>() {
        @Override
        protected Output[] initialValue() {
            return new Output[] {new Output(4096, -1), new Output(256, -1)};
        }
    };

    private final Broker broker;

    Outbox(Broker broker) {
        this.broker = broker;
    }

    /** Writes everything queued, then flushes once. */
    void drain(Queue<Outbound> queue) {
        Output[] outputs = OUTPUTS.get();
        List<Outbound.Decref> decrefs = null;
        boolean wrote = false;
        Outbound m;
        while ((m = queue.poll()) != null) {
            if (m instanceof Outbound.Decref d) {
                if (decrefs == null) {
                    decrefs = new ArrayList<>();
                }
                decrefs.add(d);
                continue;
            }
            wrote |= write(m, outputs[0], outputs[1]);
        }
        if (decrefs != null) {
            writeDecrefs(decrefs, outputs[0]);
            wrote = true;
        }
        if (wrote) {
            broker.channel.flush();
        }
        if (outputs[0].getBuffer().length > KEEP_BUFFER_BYTES) {
            outputs[0] = new Output(4096, -1); // don't pin a large message's buffer
        }
    }

    private boolean write(Outbound m, Output out, Output types) {
        if (!broker.channel.isActive()) {
            if (m instanceof Outbound.Call c && c.future() != null) {
                broker.pending.remove(c.requestId());
                broker.complete(c.future(), null, new ConnectionLostException(
                        "connection closed before the call was sent"));
            }
            return false;
        }
        start(out);
        try {
            if (m instanceof Outbound.Call c) {
                encodeCall(c, out);
            } else if (m instanceof Outbound.Answer a) {
                encodeAnswer(a, out);
            } else if (m instanceof Outbound.Failure f) {
                encodeFailure(f.requestId(), f.error(), out);
            } else if (m instanceof Outbound.RootRequest r) {
                out.writeByte(MessageKind.ROOT);
                out.writeVarLong(r.requestId(), true);
            }
        } catch (PbException e) {
            writeTypes(types);
            refuse(m, e);
            return true;
        } catch (RuntimeException e) {
            Broker.log.error("{}: failed to encode {}", broker, m, e);
            writeTypes(types);
            refuse(m, new PbException("cannot send: " + e, e));
            return true;
        }
        // Copy the message out of the shared buffer before any channel write: nothing that a
        // write might run can then overwrite it.
        ByteBuf message = frameOf(out);
        writeTypes(types);
        broker.channel.write(message, broker.channel.voidPromise());
        return true;
    }

    private void start(Output out) {
        byte[] buffer = out.getBuffer();
        int max = broker.maxOutboundFrame;
        out.setBuffer(buffer.length <= max ? buffer : new byte[max], max);
    }

    private void encodeCall(Outbound.Call c, Output out) {
        out.writeByte(MessageKind.CALL);
        out.writeVarLong(c.requestId(), true);
        out.writeVarLong(c.targetId(), true);
        try {
            WireStrings.write(out, c.method());
            out.writeVarInt(c.args().length, true);
        } catch (RuntimeException e) {
            throw tooLarge();
        }
        broker.config.codec().write(out, c.args(), broker.session);
    }

    private void encodeAnswer(Outbound.Answer a, Output out) {
        out.writeByte(MessageKind.ANSWER);
        out.writeVarLong(a.requestId(), true);
        try {
            broker.config.codec().write(out, new Object[] {a.value()}, broker.session);
        } catch (PbException e) {
            // The result cannot travel: the caller gets why instead of waiting forever.
            Broker.log.warn("{}: cannot send the answer to request {}: {}", broker,
                    a.requestId(), e.getMessage());
            out.setPosition(0);
            encodeFailure(a.requestId(), e, out);
        }
    }

    private void encodeFailure(long requestId, Throwable error, Output out) {
        out.setPosition(0);
        out.writeByte(MessageKind.ERROR);
        out.writeVarLong(requestId, true);
        String trace = broker.config.sendStackTraces() ? stackTrace(error) : null;
        try {
            WireStrings.write(out, error.getClass().getName());
            WireStrings.write(out, truncate(error.getMessage()));
            WireStrings.write(out, trace);
        } catch (RuntimeException e) {
            out.setPosition(0);
            out.writeByte(MessageKind.ERROR);
            out.writeVarLong(requestId, true);
            WireStrings.write(out, error.getClass().getName());
            WireStrings.write(out, "(message too large to send)");
            WireStrings.write(out, null);
        }
        int mark = out.position();
        if (error instanceof PbError) {
            out.writeByte(1);
            try {
                broker.config.codec().write(out, new Object[] {error}, broker.session);
                return;
            } catch (PbException e) {
                Broker.log.debug("{}: sending {} by name only: {}", broker, error, e.getMessage());
                out.setPosition(mark);
            }
        }
        out.writeByte(0);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 16_384 ? s : s.substring(0, 16_384) + "...";
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return truncate(w.toString());
    }

    private static LimitExceededException tooLarge() {
        return new LimitExceededException("message is larger than maxFrameBytes;"
                + " send less per call or raise Limits.maxFrameBytes on both ends");
    }

    /** A message that could not be encoded: its caller learns why, at once. */
    private void refuse(Outbound m, PbException e) {
        if (m instanceof Outbound.Call c) {
            if (c.future() != null) {
                broker.pending.remove(c.requestId());
                broker.complete(c.future(), null, e);
            } else {
                Broker.log.warn("{}: callRemoteOnly({}) not sent: {}", broker, c.method(),
                        e.getMessage());
            }
        } else {
            Broker.log.warn("{}: cannot send {}: {}", broker, m, e.getMessage());
        }
    }

    private void writeTypes(Output types) {
        List<String> names = broker.session.types().pendingDefinitions();
        if (names.isEmpty()) {
            return;
        }
        // Split so that no TYPES frame exceeds what the peer accepts (a name is at most a few
        // hundred bytes; the smallest limit a peer may announce is 1 KiB).
        int id = broker.session.types().firstPendingId();
        int from = 0;
        while (from < names.size()) {
            types.setBuffer(types.getBuffer(), -1);
            types.writeByte(MessageKind.TYPES);
            types.writeVarInt(id + from, true);
            int countAt = types.position();
            types.writeByte(0); // count, patched below: at most 127 names a frame
            int count = 0;
            while (from + count < names.size() && count < 127) {
                int mark = types.position();
                WireStrings.write(types, names.get(from + count));
                if (types.position() > broker.maxOutboundFrame && count > 0) {
                    types.setPosition(mark);
                    break;
                }
                count++;
            }
            types.getBuffer()[countAt] = (byte) count;
            from += count;
            writeFrame(types);
        }
        broker.session.types().clearPendingDefinitions();
    }

    private void writeDecrefs(List<Outbound.Decref> decrefs, Output out) {
        // A pair takes at most 15 bytes: chunks of frame/16 pairs always fit.
        int per = Math.max(64, broker.maxOutboundFrame / 16);
        for (int from = 0; from < decrefs.size(); from += per) {
            List<Outbound.Decref> chunk =
                    decrefs.subList(from, Math.min(from + per, decrefs.size()));
            start(out);
            out.writeByte(MessageKind.DECREF);
            out.writeVarInt(chunk.size(), true);
            for (Outbound.Decref d : chunk) {
                out.writeVarLong(d.id(), true);
                out.writeVarInt(d.count(), true);
            }
            writeFrame(out);
        }
    }

    private void writeFrame(Output out) {
        broker.channel.write(frameOf(out), broker.channel.voidPromise());
    }

    private ByteBuf frameOf(Output out) {
        int n = out.position();
        ByteBuf buf = broker.channel.alloc().ioBuffer(4 + n);
        return buf.writeInt(n).writeBytes(out.getBuffer(), 0, n);
    }
}
