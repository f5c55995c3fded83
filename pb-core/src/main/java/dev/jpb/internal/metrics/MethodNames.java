package dev.jpb.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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

    final Tags tags;
    final AtomicLong inFlight = new AtomicLong();
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
            return new Meters(this, r, tags.and("method", k));
        });
    }

    /** The meters of one method name; each call counts its own end on them. */
    static final class Meters implements CallMeter {
        // Where calls count once the registry is gone (collected): nobody reads it.
        static final Meters DETACHED = new Meters(null, new SimpleMeterRegistry(),
                Tags.empty());

        final Counter started;
        final Counter completed;
        final Counter failed;
        final Timer succeeded;
        final Timer failedTimer;
        private final MethodNames names; // whose in-flight count the calls are in; or null

        Meters(MethodNames names, MeterRegistry r, Tags tags) {
            this.names = names;
            started = Counter.builder("jpb.calls.started").tags(tags)
                    .description("calls started").register(r);
            completed = Counter.builder("jpb.calls.completed").tags(tags)
                    .description("calls answered with a value").register(r);
            failed = Counter.builder("jpb.calls.failed").tags(tags)
                    .description("calls answered with an error").register(r);
            succeeded = timer(r, tags, "success");
            failedTimer = timer(r, tags, "failure");
        }

        /** A call starts: counted, and in flight until {@link #ended}. */
        Meters start() {
            started.increment();
            if (names != null) {
                names.inFlight.incrementAndGet();
            }
            return this;
        }

        @Override
        public void ended(long startNanos, Throwable error) {
            if (names != null) {
                names.inFlight.decrementAndGet();
            }
            (error == null ? completed : failed).increment();
            if (startNanos != 0) {
                (error == null ? succeeded : failedTimer)
                        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
            }
        }

        private static Timer timer(MeterRegistry r, Tags tags, String outcome) {
            return Timer.builder("jpb.calls.duration").tags(tags).tag("outcome", outcome)
                    .description("from a call's start to its answer")
                    .publishPercentileHistogram().register(r);
        }
    }
}
