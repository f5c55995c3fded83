package dev.jpb.internal.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * One inbound call's deadline and cancellation (docs/protocol.md §14), as {@link
 * dev.jpb.CallContext} shows them. Cancelling it (a CANCEL from the caller, or its deadline
 * passing) cancels the futures bound to it: the calls its method made while serving it and
 * the {@code CompletableFuture} the method returned. Thread-safe.
 */
public abstract class CallScope {
    /** {@code deadline} of a call without one. */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    // Written on the event loop before the call is queued (published by the executor's queue).
    long deadline = NO_DEADLINE; // System.nanoTime() based
    private volatile boolean cancelled; // by a CANCEL, or the deadline's timer
    private List<Future<?>> bound; // guarded by this

    CallScope() {
    }

    /** {@return whether the caller cancelled the call or its deadline passed} */
    public final boolean isCancelled() {
        return cancelled || deadline != NO_DEADLINE && System.nanoTime() - deadline >= 0;
    }

    /** {@return what is left of the deadline (zero once passed), or empty if it has none} */
    public final Optional<Duration> timeRemaining() {
        if (deadline == NO_DEADLINE) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** Cancels the call: every future bound to it, and those bound later, are cancelled. */
    final void cancel() {
        List<Future<?>> toCancel;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toCancel = bound;
            bound = null;
        }
        if (toCancel != null) {
            for (Future<?> f : toCancel) {
                f.cancel(true);
            }
        }
    }

    /** Cancels {@code f} with this call: a nested call, or the future the method returned. */
    final void bind(Future<?> f) {
        synchronized (this) {
            if (!cancelled) {
                if (bound == null) {
                    bound = new ArrayList<>(4);
                } else if (bound.size() >= 16 && Integer.bitCount(bound.size()) == 1) {
                    bound.removeIf(Future::isDone); // a method making many calls in a loop
                }
                bound.add(f);
                return;
            }
        }
        f.cancel(true);
    }
}
