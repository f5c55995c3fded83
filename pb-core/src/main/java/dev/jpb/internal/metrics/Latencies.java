package dev.jpb.internal.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The latencies of one method, direction and outcome, recorded by jpb itself: a count, a sum
 * and fixed histogram buckets, each call one update of each and no clock read (a Micrometer
 * {@code Timer.record} reads the wall clock twice, to rotate its maximum and its histogram: more
 * than half of what the metrics cost a call). Published when the registry reads it, as
 * {@code jpb.calls.duration} (a function timer over {@link #count} and {@link #totalNanos})
 * and {@code jpb.calls.duration.histogram} (a gauge per bucket, its {@code le} tag the bucket's
 * upper bound in seconds: the calls that took at most that long, as Micrometer's common
 * histogram format). Thread-safe; the three reads of a publication are not one snapshot.
 */
final class Latencies {
    /**
     * The buckets' upper bounds in nanoseconds: 1, 2.5 and 5 of each power of ten from 10 µs
     * ({@link MethodNames#MIN_LATENCY}: a loopback call takes tens of microseconds) to 50 s;
     * slower calls count in the last, unbounded bucket ({@code le="+Inf"}).
     */
    static final long[] BOUNDS = bounds();

    private final LongAdder count = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);

    private static long[] bounds() {
        long[] b = new long[21];
        long decade = MethodNames.MIN_LATENCY.toNanos();
        for (int i = 0; i < b.length; i += 3, decade *= 10) {
            b[i] = decade;
            b[i + 1] = decade * 5 / 2;
            b[i + 2] = decade * 5;
        }
        return b;
    }

    /** Records one call that took {@code nanos} (a negative time, impossible, counts as 0). */
    void record(long nanos) {
        long n = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS.length && n > BOUNDS[i]) { // most calls end in the first few
            i++;
        }
        buckets.incrementAndGet(i);
        totalNanos.add(n);
        count.increment(); // last: a counted call is in the sum and its bucket
    }

    /** Returns the calls recorded. */
    double count() {
        return count.sum();
    }

    /** Returns their total time in nanoseconds. */
    double totalNanos() {
        return totalNanos.sum();
    }

    /** Returns the calls that took at most {@code BOUNDS[bucket]} (all of them past the end). */
    double atMost(int bucket) {
        long sum = 0;
        for (int i = 0; i <= bucket; i++) {
            sum += buckets.get(i);
        }
        return sum;
    }

    /** Returns bucket {@code i}'s {@code le} tag: its upper bound in seconds, or +Inf. */
    static String le(int i) {
        return i < BOUNDS.length ? java.math.BigDecimal.valueOf(BOUNDS[i], 9)
                .stripTrailingZeros().toPlainString() : "+Inf";
    }
}
