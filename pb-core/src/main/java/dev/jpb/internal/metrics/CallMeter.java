package dev.jpb.internal.metrics;

/**
 * The meters of one method name and direction, on which each of its calls counts its end
 * (through the {@link MeteredCall} it holds). Thread-safe.
 */
interface CallMeter {
    /**
     * A call ended.
     *
     * @param startNanos {@link System#nanoTime()} when it started, or 0 for a call that is not
     *     timed (one that wants no answer)
     * @param endNanos {@link System#nanoTime()} when it ended (read only if it is timed)
     * @param error why it failed, or null if it succeeded
     */
    void ended(long startNanos, long endNanos, Throwable error);
}
