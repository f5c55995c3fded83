package dev.jpb.internal.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The call meters of one side and direction, by method name, with a cap on the number of
 * names: the {@code method} tag's cardinality stays bounded whatever a peer sends.
 * Thread-safe.
 */
final class MethodNames {
    /** The most distinct method names tagged per side and direction. */
    static final int MAX = 1000;
    /** The tag of the names past {@link #MAX}. */
    static final String OTHER = "other";
    /** The tag of a call to a method this end does not have. */
    static final String UNKNOWN = "unknown";
    /** The smallest bucket of the call-latency histogram ({@link Latencies#BOUNDS}). */
    static final Duration MIN_LATENCY = Duration.ofNanos(10_000);

    final Tags tags;
    private final WeakReference<MeterRegistry> registry;
    private final Map<String, Meters> byName = new ConcurrentHashMap<>();
    private final AtomicInteger admitted = new AtomicInteger();

    MethodNames(WeakReference<MeterRegistry> registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
    }

    /** Returns the meters of {@code method} (null: {@value #UNKNOWN}), or of the overflow. */
    Meters of(String method) {
        String name = method == null ? UNKNOWN : method;
        Meters m = byName.get(name);
        if (m != null) {
            return m;
        }
        if (admitted.get() >= MAX) {
            name = OTHER;
            m = byName.get(name);
            if (m != null) {
                return m;
            }
        }
        MeterRegistry r = registry.get();
        if (r == null) {
            return Meters.DETACHED;
        }
        String tag = name;
        return byName.computeIfAbsent(tag, k -> {
            if (!k.equals(OTHER) && !k.equals(UNKNOWN)) {
                admitted.incrementAndGet();
            }
            return new Meters(r, tags.and("method", k));
        });
    }

    /**
     * Returns the calls started and not yet ended: what the in-flight gauge reads. The ends
     * are read first, so the result is never below the true count at the first read (a call's
     * start precedes its end) and never negative.
     */
    long inFlight() {
        long ended = 0;
        for (Meters m : byName.values()) {
            ended += m.completed.sum() + m.failed.sum();
        }
        long started = 0;
        for (Meters m : byName.values()) {
            started += m.started.sum();
        }
        return started - ended;
    }

    /**
     * The meters of one method name; each call counts its own end on them. The three counts
     * are this class's own adders, published as function counters (a counter's semantics in
     * every registry: monotonic, read when the registry publishes), so that the in-flight
     * gauge is their difference instead of a third count updated twice per call.
     */
    static final class Meters implements CallMeter {
        // Where calls count once the registry is gone (collected): nobody reads it.
        static final Meters DETACHED = new Meters(new SimpleMeterRegistry(), Tags.empty());

        final LongAdder started = new LongAdder();
        final LongAdder completed = new LongAdder();
        final LongAdder failed = new LongAdder();
        private final Latencies succeeded = new Latencies();
        private final Latencies failedTimes = new Latencies();

        Meters(MeterRegistry r, Tags tags) {
            count(r, tags, "jpb.calls.started", "calls started", started);
            count(r, tags, "jpb.calls.completed", "calls answered with a value", completed);
            count(r, tags, "jpb.calls.failed", "calls answered with an error", failed);
            timer(r, tags, "success", succeeded);
            timer(r, tags, "failure", failedTimes);
        }

        /** A call starts: counted, in flight until its {@link MeteredCall} ends. */
        MeteredCall start(boolean timed) {
            return start(timed ? System.nanoTime() : 0);
        }

        /** The same, started at {@code startNanos} (0: not timed). */
        MeteredCall start(long startNanos) {
            started.increment();
            return new MeteredCall(this, startNanos);
        }

        /** A call that wants no answer was sent: started and completed, not timed. */
        void sentOneWay() {
            started.increment();
            completed.increment();
        }

        @Override
        public void ended(long startNanos, long endNanos, Throwable error) {
            if (startNanos != 0) {
                (error == null ? succeeded : failedTimes).record(endNanos - startNanos);
            }
            // Counted last: a call counted as ended is timed already, and no longer in flight.
            (error == null ? completed : failed).increment();
        }

        private static void count(MeterRegistry r, Tags tags, String name, String description,
                LongAdder count) {
            // Held weakly by the registry, strongly by this instance (which the in-flight
            // gauges keep reachable from the registry).
            FunctionCounter.builder(name, count, LongAdder::doubleValue).tags(tags)
                    .description(description).register(r);
        }

        /**
         * Publishes one outcome's {@link Latencies}: {@code jpb.calls.duration}, a function
         * timer (its count and total, read when the registry publishes; in Prometheus {@code
         * jpb_calls_duration_seconds_count} and {@code _sum}), and {@code
         * jpb.calls.duration.histogram}, one gauge per bucket tagged {@code le}. Held weakly by
         * the registry, strongly by this instance.
         */
        private static void timer(MeterRegistry r, Tags tags, String outcome, Latencies l) {
            Tags t = tags.and("outcome", outcome);
            FunctionTimer.builder("jpb.calls.duration", l, value -> (long) value.count(),
                    Latencies::totalNanos, TimeUnit.NANOSECONDS).tags(t)
                    .description("from a call's start to its answer").register(r);
            for (int i = 0; i <= Latencies.BOUNDS.length; i++) {
                int bucket = i;
                Gauge.builder("jpb.calls.duration.histogram", l, value -> value.atMost(bucket))
                        .tags(t).tag("le", Latencies.le(i))
                        .description("calls that took at most le seconds").register(r);
            }
        }
    }
}
