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
    // When the answer arrived, or 0: not said (written on the event loop before the answer is
    // handed to the thread that ends this call; a racing cancel may see either value)
    private long arrivedNanos;

    MeteredCall(CallMeter meter, long startNanos) {
        this.meter = meter;
        this.startNanos = startNanos;
    }

    /**
     * Its answer arrived at {@code nanos} (its read's {@link ReadTime}): the end of its
     * latency, unless it ends otherwise first. On the event loop, before the answer is handed
     * to the thread that ends this call.
     */
    public void arrived(long nanos) {
        arrivedNanos = nanos;
    }

    /**
     * The call ended; called once. Timed to its answer's arrival if {@link #arrived} said when,
     * else to now.
     *
     * @param error why it failed, or null if it succeeded
     */
    public void end(Throwable error) {
        long end = 0;
        if (startNanos != 0) {
            end = arrivedNanos;
            if (end == 0) {
                end = System.nanoTime();
            }
        }
        meter.ended(startNanos, end, error);
    }
}
