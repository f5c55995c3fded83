package dev.jpb.internal.router;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A router's {@link RouterMetrics} in a Micrometer {@link MeterRegistry}: the only class of
 * pb-router that names Micrometer's types, loaded only when the application passes a registry
 * to {@code Router.builder().meterRegistry}. Meters (README, "Metrics"):
 *
 * <ul>
 *   <li>{@code jpb.router.sessions} (gauge, tagged {@code transport} jpb/wamp/http, and
 *       remote for the stand-ins of other cluster nodes' sessions), {@code
 *       jpb.router.sessions.joined} and {@code .left} (counters, by transport);
 *   <li>{@code jpb.router.subscriptions}, {@code jpb.router.registrations} (gauges): entries in
 *       the realms' tables (in a cluster, the whole cluster's);
 *   <li>{@code jpb.router.events.published} (counter, tagged {@code origin} local/cluster),
 *       {@code jpb.router.events.delivered}, {@code jpb.router.events.dropped} (counters);
 *   <li>{@code jpb.router.calls} (counter, tagged {@code outcome}) and {@code
 *       jpb.router.calls.duration} (timer with a percentile histogram, by outcome, for calls
 *       that reached a callee).
 * </ul>
 */
final class MicrometerRouterMetrics implements RouterMetrics {
    private static final List<String> TRANSPORTS = List.of("jpb", "wamp", "http");
    private static final List<String> OUTCOMES = List.of(Outcomes.SUCCESS, Outcomes.ERROR,
            Outcomes.CANCELED, Outcomes.TIMEOUT, Outcomes.NO_SUCH_PROCEDURE, Outcomes.REFUSED);

    private final Map<String, Counter> joined = new ConcurrentHashMap<>();
    private final Map<String, Counter> left = new ConcurrentHashMap<>();
    private final Map<String, Counter> published = new ConcurrentHashMap<>();
    private final Map<String, Counter> calls = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final Counter delivered;
    private final Counter dropped;

    /**
     * Registers the meters of {@code core} in {@code registry}, typed {@code Object} so that
     * callers need not name Micrometer's types.
     *
     * @throws ClassCastException if {@code registry} is not a {@code MeterRegistry}
     */
    MicrometerRouterMetrics(Object meterRegistry, RouterCore core) {
        MeterRegistry registry = (MeterRegistry) requireNonNull(meterRegistry, "registry");
        for (String t : TRANSPORTS) {
            joined.put(t, Counter.builder("jpb.router.sessions.joined").tag("transport", t)
                    .description("sessions that joined a realm of this node")
                    .register(registry));
            left.put(t, Counter.builder("jpb.router.sessions.left").tag("transport", t)
                    .description("sessions of this node that left").register(registry));
            gauge(registry, "jpb.router.sessions", "transport", t, "sessions joined now",
                    core, c -> c.sessionCount(t));
        }
        gauge(registry, "jpb.router.sessions", "transport", "remote",
                "other cluster nodes' sessions this node mirrors", core,
                c -> c.sessionCount("remote"));
        Gauge.builder("jpb.router.subscriptions", core, RouterCore::subscriptionCount)
                .description("subscriptions (topic and match policy) in the realms")
                .strongReference(true).register(registry);
        Gauge.builder("jpb.router.registrations", core, RouterCore::registrationCount)
                .description("registrations (procedure and match policy) in the realms")
                .strongReference(true).register(registry);
        for (String o : List.of("local", "cluster")) {
            published.put(o, Counter.builder("jpb.router.events.published").tag("origin", o)
                    .description("publications this node routed").register(registry));
        }
        delivered = Counter.builder("jpb.router.events.delivered")
                .description("events sent to this node's subscribers").register(registry);
        dropped = Counter.builder("jpb.router.events.dropped")
                .description("events the slow-subscriber policy dropped").register(registry);
        for (String o : OUTCOMES) {
            calls.put(o, Counter.builder("jpb.router.calls").tag("outcome", o)
                    .description("routed calls of this node's sessions, answered or refused")
                    .register(registry));
            durations.put(o, Timer.builder("jpb.router.calls.duration").tag("outcome", o)
                    .description("routed calls from routing to the answer")
                    .publishPercentileHistogram().register(registry));
        }
    }

    private static void gauge(MeterRegistry registry, String name, String tag, String value,
            String description, RouterCore core, ToDoubleFunction<RouterCore> f) {
        Gauge.builder(name, core, f).tag(tag, value).description(description)
                .strongReference(true).register(registry);
    }

    @Override
    public void sessionJoined(String transport) {
        Counter c = joined.get(transport);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void sessionLeft(String transport) {
        Counter c = left.get(transport);
        if (c != null) {
            c.increment();
        }
    }

    @Override
    public void published(String origin) {
        published.get(origin).increment();
    }

    @Override
    public void delivered() {
        delivered.increment();
    }

    @Override
    public void dropped() {
        dropped.increment();
    }

    @Override
    public void callEnded(String outcome, long nanos) {
        calls.get(outcome).increment();
        if (nanos >= 0) {
            durations.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
