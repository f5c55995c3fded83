package dev.jpb.internal.metrics;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The {@link BrokerMetrics} of one end ({@code side} "server" or "client") in a Micrometer
 * {@link MeterRegistry}: the only class of jpb that names Micrometer's types, loaded only when
 * an application passes a registry to a builder's {@code meterRegistry}. Every end of one side
 * on one registry (10,000 clients, say) shares one instance, so that each gauge is registered
 * once and sums over all their connections. Meters, all tagged {@code side}:
 *
 * <ul>
 *   <li>{@code jpb.connections.open} (gauge), {@code jpb.connections.opened}, {@code
 *       jpb.connections.closed} (counters): connections past the handshake;
 *   <li>{@code jpb.calls.started}, {@code jpb.calls.completed}, {@code jpb.calls.failed}
 *       (counters), {@code jpb.calls.duration} (a function timer, tagged {@code outcome}
 *       success/failure) and {@code jpb.calls.duration.histogram} (its histogram: gauges tagged
 *       {@code outcome} and {@code le}, see {@link Latencies}), each tagged {@code direction}
 *       ({@code in}: calls the peer made to this end; {@code out}: calls this end made) and
 *       {@code method}; {@code
 *       jpb.calls.inflight} (gauge, by direction);
 *   <li>{@code jpb.references.exported}, {@code jpb.references.imported} (gauges): the sums of
 *       {@link Connection#exportedObjectCount()} and {@link Connection#importedReferenceCount()};
 *   <li>{@code jpb.bytes.received}, {@code jpb.bytes.sent} (counters): bytes on the wire (TLS
 *       records included), the hello too;
 *   <li>{@code jpb.violations} (counter, tagged {@code kind});
 *   <li>{@code jpb.outbound.queued.bytes} (gauge): bytes written but not yet taken by the
 *       sockets;
 *   <li>{@code jpb.logins.started}, {@code jpb.logins.succeeded} (counters, tagged {@code
 *       mechanism} password/anonymous) and {@code jpb.logins.failed} (counter, tagged {@code
 *       mechanism} and {@code reason}, one of {@link LoginKinds}' kinds): logins peers made to
 *       this end, never tagged with a user name;
 *   <li>{@code jpb.cache.observers} (gauge): copies peers hold of this end's cacheables (one
 *       observer per cacheable and connection); {@code jpb.cache.copies} (gauge): copies of the
 *       peers' cacheables held here; {@code jpb.cache.updates.sent}, {@code
 *       jpb.cache.updates.received} (counters): {@code observe_} updates written and read.
 * </ul>
 *
 * <p>The {@code method} tag is a method name, never an argument, and at most {@value
 * MethodNames#MAX} distinct names per side and direction: later names are tagged {@value
 * MethodNames#OTHER}, and a call to a method this end does not have is tagged {@value
 * MethodNames#UNKNOWN} (a peer cannot grow the registry by inventing names). Thread-safe.
 */
public final class MicrometerMetrics implements BrokerMetrics {
    // The registry is held weakly (by the map) and strongly only by meters it holds, which
    // hold this instance: a registry the application drops is collected with it.
    private static final Map<MeterRegistry, Map<String, MicrometerMetrics>> SHARED =
            new WeakHashMap<>(); // guarded by itself

    final Tags side;
    final MethodNames in;
    final MethodNames out;
    final Counter opened;
    final Counter closed;
    final Counter updatesSent;
    final Counter updatesReceived;
    private final Map<String, Counter> violations = new ConcurrentHashMap<>();
    private final Map<String, Counter> logins = new ConcurrentHashMap<>(); // by name/tags
    private final WeakReference<MeterRegistry> registry;
    private final Set<Live> live = ConcurrentHashMap.newKeySet();
    private final ByteCounter bytes;

    private MicrometerMetrics(MeterRegistry registry, String side) {
        this.registry = new WeakReference<>(registry);
        this.side = Tags.of("side", side);
        this.in = new MethodNames(this.registry, this.side.and("direction", "in"));
        this.out = new MethodNames(this.registry, this.side.and("direction", "out"));
        this.opened = Counter.builder("jpb.connections.opened").tags(this.side)
                .description("connections past the jpb handshake").register(registry);
        this.closed = Counter.builder("jpb.connections.closed").tags(this.side)
                .description("connections closed after the handshake").register(registry);
        this.bytes = new ByteCounter(
                Counter.builder("jpb.bytes.received").tags(this.side).baseUnit("bytes")
                        .description("bytes read from peers").register(registry),
                Counter.builder("jpb.bytes.sent").tags(this.side).baseUnit("bytes")
                        .description("bytes written to peers").register(registry));
        this.updatesSent = Counter.builder("jpb.cache.updates.sent").tags(this.side)
                .description("updates written to peers' copies").register(registry);
        this.updatesReceived = Counter.builder("jpb.cache.updates.received").tags(this.side)
                .description("updates to copies read from peers").register(registry);
        gauge(registry, "jpb.cache.observers", "copies peers hold of this end's cacheables",
                m -> m.sum(l -> l.caches().observedCount()));
        gauge(registry, "jpb.cache.copies", "copies of peers' cacheables held here",
                m -> m.sum(l -> l.caches().copyCount()));
        gauge(registry, "jpb.connections.open", "connections open now", m -> m.live.size());
        gauge(registry, "jpb.references.exported", "objects of this end the peers hold",
                m -> m.sum(l -> l.connection().exportedObjectCount()));
        gauge(registry, "jpb.references.imported", "references to peers' objects held here",
                m -> m.sum(l -> l.connection().importedReferenceCount()));
        gauge(registry, "jpb.outbound.queued.bytes", "bytes written, not yet sent",
                m -> m.sum(Live::queuedBytes));
        Gauge.builder("jpb.calls.inflight", in, MethodNames::inFlight).tags(in.tags)
                .description("calls started, not yet answered").strongReference(true)
                .register(registry);
        Gauge.builder("jpb.calls.inflight", out, MethodNames::inFlight).tags(out.tags)
                .description("calls started, not yet answered").strongReference(true)
                .register(registry);
    }

    /**
     * Returns the metrics of {@code side} ("server" or "client") in {@code registry}, made on
     * first use. {@code registry} is typed {@code Object} so that callers need not name
     * Micrometer's types.
     *
     * @throws ClassCastException if {@code registry} is not a {@code MeterRegistry}
     */
    public static BrokerMetrics of(Object registry, String side) {
        MeterRegistry r = (MeterRegistry) requireNonNull(registry, "registry");
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(r, k -> new ConcurrentHashMap<>())
                    .computeIfAbsent(side, s -> new MicrometerMetrics(r, s));
        }
    }

    private void gauge(MeterRegistry registry, String name, String description,
            ToDoubleFunction<MicrometerMetrics> value) {
        Gauge.builder(name, this, value).tags(side).description(description)
                .strongReference(true).register(registry);
    }

    private double sum(ToDoubleFunction<Live> value) {
        double sum = 0;
        for (Live l : live) {
            sum += value.applyAsDouble(l);
        }
        return sum;
    }

    @Override
    public void initChannel(Channel channel) {
        channel.pipeline().addFirst(ByteCounter.NAME, bytes);
    }

    @Override
    public ConnectionMetrics opened(Connection connection, Channel channel) {
        return opened(connection, channel, CacheCounts.NONE);
    }

    @Override
    public ConnectionMetrics opened(Connection connection, Channel channel,
            CacheCounts caches) {
        Live l = new Live(connection, channel, caches);
        live.add(l);
        opened.increment();
        return new MicrometerConnection(this, l);
    }

    void closed(Live l) {
        if (live.remove(l)) {
            closed.increment();
        }
    }

    void violation(String reason) {
        String kind = ViolationKinds.of(reason);
        Counter c = violations.get(kind);
        if (c == null) {
            MeterRegistry r = registry.get();
            if (r == null) {
                return;
            }
            c = violations.computeIfAbsent(kind, k -> Counter.builder("jpb.violations")
                    .tags(side).tag("kind", k)
                    .description("protocol violations by peers").register(r));
        }
        c.increment();
    }

    /**
     * Counts one login event: {@code name} one of {@code jpb.logins.started/succeeded/failed},
     * {@code reason} null except for failures. The tags come from {@link LoginKinds} only.
     */
    void login(String name, String mechanism, String reason) {
        String key = name + '/' + mechanism + '/' + reason;
        Counter c = logins.get(key);
        if (c == null) {
            MeterRegistry r = registry.get();
            if (r == null) {
                return;
            }
            c = logins.computeIfAbsent(key, k -> {
                Counter.Builder b = Counter.builder(name).tags(side).tag("mechanism", mechanism)
                        .description("logins of peers on this end");
                return (reason == null ? b : b.tag("reason", reason)).register(r);
            });
        }
        c.increment();
    }

    /** A connection while it is open: what the gauges read. */
    record Live(Connection connection, Channel channel, CacheCounts caches) {
        double queuedBytes() {
            ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
            return buffer == null ? 0 : buffer.totalPendingWriteBytes();
        }
    }
}
