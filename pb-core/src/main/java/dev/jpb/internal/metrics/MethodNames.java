package dev.jpb.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
            return new Meters(r, tags.and("method", k));
        });
    }

    /** The meters of one method name. */
    static final class Meters {
        // Where calls count once the registry is gone (collected): nobody reads it.
        static final Meters DETACHED = new Meters(new SimpleMeterRegistry(), Tags.empty());

        final Counter started;
        final Counter completed;
        final Counter failed;
        final Timer succeeded;
        final Timer failedTimer;

        Meters(MeterRegistry r, Tags tags) {
            started = Counter.builder("jpb.calls.started").tags(tags)
                    .description("calls started").register(r);
            completed = Counter.builder("jpb.calls.completed").tags(tags)
                    .description("calls answered with a value").register(r);
            failed = Counter.builder("jpb.calls.failed").tags(tags)
                    .description("calls answered with an error").register(r);
            succeeded = timer(r, tags, "success");
            failedTimer = timer(r, tags, "failure");
        }

        private static Timer timer(MeterRegistry r, Tags tags, String outcome) {
            return Timer.builder("jpb.calls.duration").tags(tags).tag("outcome", outcome)
                    .description("from a call's start to its answer")
                    .publishPercentileHistogram().register(r);
        }
    }
}
