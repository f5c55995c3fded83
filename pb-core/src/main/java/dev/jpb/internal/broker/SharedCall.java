package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.LimitExceededException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.codec.TypeUse;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One call sent to many references, as a router's fan-out of one event to its subscribers:
 * the connections encode its arguments once between them where they can, as {@link
 * dev.jpb.internal.cache.SharedUpdate} does for cache updates. The first connection to encode
 * them keeps the bytes with the type ids it used; a connection whose type table gives those
 * types the same ids (and that uses the same codec) writes the bytes as they are; any other,
 * or every one when the arguments name references (whose ids belong to one connection),
 * encodes them itself.
 *
 * <p>A shared call has no deadline and does not inherit the deadline or cancellation of the
 * inbound call that sends it: it is a delivery to many, not a part of that call. A reference
 * that is not a plain proxy of a connection (a {@code withTimeout} view, a test's own
 * implementation) gets an ordinary {@code callRemote}. Thread-safe.
 */
public final class SharedCall {
    private final String method;
    private final Object[] args;
    private volatile Encoding encoding; // the first reusable encoding, or null

    private SharedCall(String method, Object[] args) {
        this.method = method;
        this.args = args;
    }

    /**
     * A call of {@code method(args)} to send to many references; the arguments must not
     * change while it is being sent.
     */
    public static SharedCall of(String method, Object... args) {
        requireNonNull(method, "method");
        return new SharedCall(method, args == null ? new Object[0] : args);
    }

    /**
     * Sends the call one-way to {@code target} (as {@link RemoteReference#callRemoteOnly}).
     *
     * @return false if it was not sent: the reference was released, the connection is closed,
     *     or more than {@code maxQueuedOutboundBytes} wait to be written to it
     */
    public boolean sendOnly(RemoteReference target) {
        if (!(target instanceof DefaultRemoteReference ref)) {
            target.callRemoteOnly(method, args);
            return true;
        }
        Broker broker = ref.broker();
        if (ref.isReleased() || !broker.isOpen()) {
            return false;
        }
        if (broker.outboundLimit.refusal(method) != null) {
            broker.outboundLimit.droppedOneWay(method);
            return false;
        }
        long targetId = ref.id();
        broker.outbox.enqueue(new Outbound.Custom(0, out -> write(broker, out, 0, targetId,
                null), null));
        broker.metrics.oneWaySent(method);
        return true;
    }

    /**
     * Sends the call to {@code target} and returns its answer (as {@link
     * RemoteReference#callRemote}).
     */
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> send(RemoteReference target) {
        if (!(target instanceof DefaultRemoteReference ref) || ref.isReleased()) {
            return target.callRemote(method, args); // a released one fails as usual
        }
        Broker broker = ref.broker();
        if (!broker.isOpen()) {
            return target.callRemote(method, args); // fails with the usual error
        }
        Throwable refused = broker.outboundLimit.refusal(method);
        if (refused != null) {
            return PbFutures.failed(refused);
        }
        PbFuture<Object> f = PbFuture.forCall();
        f.metered(broker.metrics.callSent(method)); // before anything else can complete it
        long requestId = broker.pending.add(f);
        long targetId = ref.id();
        broker.outbox.enqueue(new Outbound.Custom(requestId, out -> write(broker, out,
                requestId, targetId, f), f));
        if (!broker.isOpen()) {
            broker.failPending(requestId, new dev.jpb.ConnectionLostException(
                    "connection closed before the call was sent"));
        }
        return (CompletableFuture<T>) (CompletableFuture<?>) f;
    }

    /** Writes the CALL frame on {@code broker}'s event loop. */
    private void write(Broker broker, Output out, long requestId, long targetId,
            PbFuture<Object> future) {
        try {
            FrameCodec.write(out, new Frame.Call(requestId, targetId, method, args.length));
        } catch (RuntimeException e) {
            throw tooLarge();
        }
        Encoding e = encoding;
        Object codec = broker.config.codec();
        if (e != null && e.codec == codec && broker.session.types().hasOutboundIds(e.types)) {
            try {
                out.writeBytes(e.bytes);
            } catch (RuntimeException overflow) {
                throw tooLarge();
            }
            return;
        }
        int start = out.position();
        TypeUse use;
        broker.session.startRecording();
        try {
            broker.config.codec().write(out, args, broker.session);
        } finally {
            use = broker.session.stopRecording();
        }
        long[] sent = broker.session.takeCommittedReferences(); // kept until the answer
        if (future != null) {
            future.sentReferences(sent);
        }
        if (e == null && use != null) {
            // a race only replaces one valid encoding by another
            encoding = new Encoding(Arrays.copyOfRange(out.getBuffer(), start, out.position()),
                    codec, use);
        }
    }

    private static LimitExceededException tooLarge() {
        return new LimitExceededException("message is larger than maxFrameBytes;"
                + " send less per call or raise Limits.maxFrameBytes on both ends");
    }

    @Override
    public String toString() {
        return "SharedCall[" + method + "]";
    }

    /** Encoded arguments, the codec that wrote them and the type ids they use; read-only. */
    private record Encoding(byte[] bytes, Object codec, TypeUse types) {
    }
}
