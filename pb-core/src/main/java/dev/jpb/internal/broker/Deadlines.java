package dev.jpb.internal.broker;

import dev.jpb.DeadlineExceededException;
import dev.jpb.internal.proxy.LocalDeadlines;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The caller's side of deadlines and cancellation (docs/protocol.md §14): a call's deadline
 * from its own timeout and the one of the inbound call it is made for, its timer, and its
 * binding to that inbound call so that cancelling one cancels the other. Stateless.
 */
final class Deadlines {
    /** The timeout of a call that has none of its own. */
    static final long NONE = 0;

    private Deadlines() {
    }

    /**
     * Returns the deadline of a call with {@code timeoutNanos} (or {@link #NONE}) made while
     * serving {@code scope} (or null): the earlier of the two, or {@link
     * CallScope#NO_DEADLINE}.
     */
    static long deadline(long timeoutNanos, CallScope scope) {
        long inherited = scope == null ? CallScope.NO_DEADLINE : scope.deadline;
        if (timeoutNanos <= 0) {
            return inherited;
        }
        long own = System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE / 4);
        return inherited == CallScope.NO_DEADLINE || own - inherited < 0 ? own : inherited;
    }

    /**
     * Returns why a call must fail before it is sent, or null: the inbound call it is made
     * for was cancelled, or its deadline has passed already.
     */
    static Throwable refusal(String method, CallScope scope, long deadline) {
        if (deadline != CallScope.NO_DEADLINE && System.nanoTime() - deadline >= 0) {
            return new DeadlineExceededException("the deadline of remote_" + method
                    + " passed before it was sent (inherited from the call being served, or"
                    + " too short)");
        }
        if (scope != null && scope.isCancelled()) {
            return new CancellationException("remote_" + method + " not sent: the call being"
                    + " served was cancelled by its caller");
        }
        return null;
    }

    /**
     * Arms a sent call: {@code future.cancel} tells the callee, its deadline (if any) fails it
     * with {@link DeadlineExceededException} (completed on the executor, never on the event
     * loop), and it is cancelled with {@code scope}, the inbound call it is made for.
     */
    static void watch(Broker broker, PbFuture<Object> future, long requestId, String method,
            long deadline, CallScope scope) {
        future.sentAs(broker, requestId);
        if (deadline != CallScope.NO_DEADLINE) {
            long nanos = deadline - System.nanoTime();
            long total = nanos; // for the message: what was left when it was sent
            try {
                future.timer(broker.channel.eventLoop().schedule(
                        () -> expire(broker, future, method, total), Math.max(0, nanos),
                        TimeUnit.NANOSECONDS));
            } catch (RejectedExecutionException e) {
                // the event loop is gone, so is the connection: onClosed fails the call
            }
        }
        if (scope != null) {
            scope.bind(future);
        }
    }

    private static void expire(Broker broker, PbFuture<Object> future, String method,
            long nanos) {
        if (future.isDone()) {
            return;
        }
        Runnable fail = () -> future.completeExceptionally(
                new DeadlineExceededException(LocalDeadlines.message(method, nanos)));
        try {
            broker.config.executor().execute(fail);
        } catch (RejectedExecutionException e) {
            dev.jpb.internal.transport.Transport.fallbackExecutor().execute(fail);
        }
    }
}
