package dev.jpb.internal.broker;

import dev.jpb.DeadlineExceededException;
import dev.jpb.internal.wire.Frame;
import io.netty.util.collection.LongObjectHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * The callee's side of deadlines and cancellation (docs/protocol.md §14.1, §14.2) for one
 * connection: the inbound calls that may still be cancelled, by request id, from their
 * arrival until their answer is written. A CANCEL or a passed deadline marks the call; one not
 * started yet is then answered without running ({@link #refusal}), a running one sees {@link
 * dev.jpb.CallContext#isCancelled()} and what is bound to it is cancelled. Event loop only: a
 * call is added when it arrives and removed when the outbox writes its answer, both there, so
 * a call without a deadline costs no lock, no boxed id and no map node (issue 11: the machinery
 * costs nothing measurable on calls that do not use it).
 */
final class Cancellation {
    private final Broker broker;
    private final LongObjectHashMap<InboundCall> live = new LongObjectHashMap<>(); // event loop

    Cancellation(Broker broker) {
        this.broker = broker;
    }

    /**
     * A CALL or CALL_DEADLINE arrived, with the caller's time left ({@code timeoutMicros}, or
     * {@link Frame.Call#NO_DEADLINE}); on the event loop, before the gate sees it.
     */
    void arrived(InboundCall call, long timeoutMicros) {
        assert broker.channel.eventLoop().inEventLoop();
        if (timeoutMicros >= 0) {
            long nanos = TimeUnit.MICROSECONDS.toNanos(timeoutMicros); // saturates
            long now = System.nanoTime();
            call.deadline = nanos > Long.MAX_VALUE / 2 ? CallScope.NO_DEADLINE : now + nanos;
            if (call.deadline != CallScope.NO_DEADLINE && call.requestId != 0) {
                call.deadlineTimer = broker.channel.eventLoop().schedule(call::cancel, nanos,
                        TimeUnit.NANOSECONDS);
            }
        }
        if (call.requestId != 0) {
            live.put(call.requestId, call);
        }
    }

    /** The caller sent CANCEL for {@code requestId}; unknown ids (answered already) are moot. */
    void cancel(long requestId) {
        assert broker.channel.eventLoop().inEventLoop();
        InboundCall call = live.get(requestId);
        if (call != null) {
            call.cancel();
        }
    }

    /** The outbox writes the call's answer: it can no longer be cancelled. Event loop. */
    void finished(long requestId) {
        assert broker.channel.eventLoop().inEventLoop();
        if (requestId == 0 || live.isEmpty()) {
            return;
        }
        InboundCall call = live.remove(requestId);
        if (call != null && call.deadlineTimer != null) {
            call.deadlineTimer.cancel(false);
        }
    }

    /** The connection is gone: every call is cancelled. On the event loop. */
    void clear() {
        for (InboundCall call : live.values()) {
            call.cancel();
            if (call.deadlineTimer != null) {
                call.deadlineTimer.cancel(false);
            }
        }
        live.clear();
    }

    /**
     * Returns why {@code call} must not start, or null: it was cancelled, or its deadline
     * passed, before its turn came.
     */
    static Throwable refusal(InboundCall call) {
        if (call.root || !call.isCancelled()) {
            return null;
        }
        if (call.deadline == CallScope.NO_DEADLINE || System.nanoTime() - call.deadline < 0) {
            return new CancellationException("the caller cancelled remote_" + call.method
                    + " before it started");
        }
        return new DeadlineExceededException("the deadline of remote_" + call.method
                + " passed before it started");
    }
}
