package dev.jpb.internal.metrics;

/**
 * What counts the end of one call, handed out when the call starts ({@link
 * ConnectionMetrics#callStarted}, {@link ConnectionMetrics#callSent}) and kept by the call
 * itself until it ends: one per method name and direction, so counting a call allocates
 * nothing. Thread-safe.
 */
public interface CallMeter {
    /**
     * The call ended.
     *
     * @param startNanos {@link System#nanoTime()} when it started, or 0 for a call that is not
     *     timed (one that wants no answer)
     * @param error why it failed, or null if it succeeded
     */
    void ended(long startNanos, Throwable error);
}
