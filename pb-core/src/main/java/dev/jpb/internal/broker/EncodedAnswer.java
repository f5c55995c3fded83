package dev.jpb.internal.broker;

import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.RemoteCallException;
import dev.jpb.internal.wire.Frame;
import io.netty.buffer.ByteBuf;

/**
 * An ANSWER's value or an ERROR's object still in its frame, read on the event loop and decoded
 * by the thread that completes the call's future (see {@link PbFuture#deliver(EncodedAnswer,
 * java.util.concurrent.Executor)}). Holds the frame body and a pin on the export table until
 * {@link #decode()} or {@link #discard()}, exactly one of which runs, once.
 */
final class EncodedAnswer implements Runnable {
    private final Broker broker;
    private final Frame.Error error; // null for an ANSWER
    // Touched by one thread at a time: the event loop that read it, then the one completing the
    // future (published to it by the executor's queue or PbFuture's hand-off CAS).
    private ByteBuf body; // owned; null once decoded or discarded
    private Object value; // the outcome, once decoded
    private Throwable failure;
    private PbFuture<?> completes; // what run() completes, set before it is queued

    /** Takes {@code body} (positioned at the value) and a pin the caller made. */
    EncodedAnswer(Broker broker, ByteBuf body, Frame.Error error) {
        this.broker = broker;
        this.body = body;
        this.error = error;
    }

    /**
     * Returns whether decoding runs no application code: the value is null, a reference, or a
     * box or string (a scalar: nothing nested, no constructor or {@code hashCode} of the
     * application's). Only those may be decoded on an event loop (to forward a chained call's
     * answer without a thread hand-off).
     */
    boolean decodesWithoutUserCode() {
        if (error != null || body == null) {
            return false;
        }
        int id = 0;
        int index = body.readerIndex();
        for (int shift = 0; shift < 35; shift += 7) {
            if (index >= body.writerIndex()) {
                return false;
            }
            int b = body.getUnsignedByte(index++);
            id |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (id <= YOURS) {
            return id >= 0; // null, REFERENCE, YOURS (protocol §5.1): jpb's own code
        }
        Class<?> type = broker.session.types().inboundClass(id);
        return type != null && SCALARS.contains(type);
    }

    private static final int YOURS = 2;
    private static final java.util.Set<Class<?>> SCALARS = java.util.Set.of(Boolean.class,
            Byte.class, Short.class, Character.class, Integer.class, Long.class, Float.class,
            Double.class, String.class);

    /** Makes {@link #run} decode this answer into {@code future}; returns this task. */
    EncodedAnswer completing(PbFuture<?> future) {
        completes = future;
        return this;
    }

    /** Decodes the outcome and completes the future given to {@link #completing}. */
    @Override
    public void run() {
        decode();
        completes.settle(value, failure);
    }

    /** Decodes the outcome into {@link #value()} / {@link #error()}. */
    void decode() {
        ByteBuf b = body;
        body = null;
        try {
            if (error == null) {
                value = decodeValue(broker, b);
            } else {
                try {
                    failure = decodeError(b);
                } finally {
                    b.release();
                    broker.exports.unpin();
                }
            }
        } catch (PbException e) {
            failure = e; // an answer this end cannot decode fails that call, locally
        }
    }

    /**
     * Decodes an ANSWER's value from {@code body}, then releases it and {@code broker}'s pin on
     * its export table (both whatever happens): the one place an answer's bytes are decoded.
     */
    static Object decodeValue(Broker broker, ByteBuf body) {
        try {
            return broker.decodeValue(body);
        } finally {
            body.release();
            broker.exports.unpin();
        }
    }

    private Throwable decodeError(ByteBuf b) {
        try {
            if (broker.decodeValue(b) instanceof PbError pbError) {
                return pbError;
            }
        } catch (PbException e) {
            Broker.log.debug("{}: {} arrives by name: {}", broker, error.type(), e.getMessage());
        }
        return remoteCallException(error);
    }

    static RemoteCallException remoteCallException(Frame.Error e) {
        return new RemoteCallException(e.type() == null ? "unknown" : e.type(), e.message(),
                e.trace());
    }

    /** Drops the answer undecoded (nobody waits for it any more). */
    void discard() {
        ByteBuf b = body;
        body = null;
        if (b != null) {
            b.release();
            broker.exports.unpin();
        }
    }

    Object value() {
        return value;
    }

    Throwable error() {
        return failure;
    }
}
