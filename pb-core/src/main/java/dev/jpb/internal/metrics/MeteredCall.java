package dev.jpb.internal.metrics;

/**
 * One call's metrics from its start to its end: the one place where a call stops being in
 * flight, is counted as completed or failed, and (if it has an answer) is timed. An inbound
 * call holds one from its start ({@link ConnectionMetrics#callStarted}), an outgoing call's
 * future from its sending ({@link ConnectionMetrics#callSent}); each ends it once. Made only
 * with metrics on (with them off the hooks return null, and no meter code runs). Names no
 * Micrometer type, so the call path loads none. Thread-safe.
 */
public final class MeteredCall {
    private final CallMeter meter;
    private final long startNanos; // System.nanoTime() at the start, or 0: not timed

    MeteredCall(CallMeter meter, long startNanos) {
        this.meter = meter;
        this.startNanos = startNanos;
    }

    /**
     * The call ended; called once.
     *
     * @param error why it failed, or null if it succeeded
     */
    public void end(Throwable error) {
        meter.ended(startNanos, error);
    }
}
