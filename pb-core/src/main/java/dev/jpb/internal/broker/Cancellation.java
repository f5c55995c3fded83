package dev.jpb.internal.broker;

import dev.jpb.DeadlineExceededException;
import dev.jpb.internal.wire.Frame;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The callee's side of deadlines and cancellation (docs/protocol.md §14.1, §14.2) for one
 * connection: the inbound calls that may still be cancelled, by request id, from their
 * arrival until their answer is queued. A CANCEL or a passed deadline marks the call; one not
 * started yet is then answered without running ({@link #refusal}), a running one sees {@link
 * dev.jpb.CallContext#isCancelled()} and what is bound to it is cancelled. Thread-safe.
 */
final class Cancellation {
    private final Broker broker;
    private final Map<Long, InboundCall> live = new ConcurrentHashMap<>();

    Cancellation(Broker broker) {
        this.broker = broker;
    }

    /** A CALL or CALL_DEADLINE arrived; on the event loop, before the gate sees it. */
    void arrived(InboundCall call, Frame.Call header) {
        assert broker.channel.eventLoop().inEventLoop();
        if (header.hasDeadline()) {
            long nanos = TimeUnit.MICROSECONDS.toNanos(header.timeoutMicros()); // saturates
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
        InboundCall call = live.get(requestId);
        if (call != null) {
            call.cancel();
        }
    }

    /** The call's answer is queued: it can no longer be cancelled. Any thread. */
    void finished(long requestId) {
        if (requestId == 0) {
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
