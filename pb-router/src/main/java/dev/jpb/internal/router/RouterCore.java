package dev.jpb.internal.router;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The realms and the settings every face shares; owned by {@code dev.jpb.router.Router}. */
public final class RouterCore implements AutoCloseable {
    /** What the router does with a subscriber whose bounded queue is full. */
    public enum SlowPolicy {
        /** Drop that subscriber's events and count them. */
        DROP,
        /** Close that subscriber's session. */
        DISCONNECT
    }

    private final Map<String, Realm> realms = new LinkedHashMap<>(); // written once
    private final SlowPolicy slowPolicy;
    private final int maxQueuedEvents;
    private final ScheduledExecutorService timer;
    private final Set<String> adminRoles; // written once
    private long lastOrderKey; // guarded by this
    private volatile ClusterNode cluster; // written once, before the router serves sessions
    private volatile RouterMetrics metrics = RouterMetrics.NONE; // written once, before serving

    /**
     * Creates the core.
     *
     * @param realmNames      the realms it serves
     * @param slowPolicy      the slow-subscriber policy
     * @param maxQueuedEvents the events one jpb subscriber may have unanswered
     */
    public RouterCore(List<String> realmNames, SlowPolicy slowPolicy, int maxQueuedEvents) {
        this(realmNames, slowPolicy, maxQueuedEvents, Set.of());
    }

    /**
     * Creates the core.
     *
     * @param realmNames      the realms it serves
     * @param slowPolicy      the slow-subscriber policy
     * @param maxQueuedEvents the events one jpb subscriber may have unanswered
     * @param adminRoles      the authroles that may call the admin meta procedures
     */
    public RouterCore(List<String> realmNames, SlowPolicy slowPolicy, int maxQueuedEvents,
            Set<String> adminRoles) {
        this.adminRoles = Set.copyOf(adminRoles);
        for (String n : realmNames) {
            realms.put(n, new Realm(n, this));
        }
        this.slowPolicy = slowPolicy;
        this.maxQueuedEvents = maxQueuedEvents;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpb-router-timer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Returns the realm of that name, or null. */
    public Realm realm(String name) {
        return realms.get(name);
    }

    /** Returns the realms. */
    public Collection<Realm> realms() {
        return realms.values();
    }

    /** Returns the authroles that may kill sessions and remove subscribers and callees. */
    public Set<String> adminRoles() {
        return adminRoles;
    }

    /**
     * Returns a new registration order key: microseconds of wall-clock time, strictly growing
     * on this node, so callees of a shared registration sort by age across the cluster.
     */
    /**
     * Records this router's metrics in a Micrometer {@code MeterRegistry} (typed {@code Object}
     * so that callers need not name Micrometer, an optional dependency). Call once, before the
     * router serves sessions.
     *
     * @throws ClassCastException if {@code registry} is not a {@code MeterRegistry}
     */
    public void meterRegistry(Object registry) {
        this.metrics = new MicrometerRouterMetrics(registry, this);
    }

    RouterMetrics metrics() {
        return metrics;
    }

    /** Sessions joined now with this transport tag, over all realms (a gauge). */
    double sessionCount(String transport) {
        long n = 0;
        for (Realm r : realms.values()) {
            n += r.sessionCount(transport);
        }
        return n;
    }

    /** Subscriptions in the realms' tables (a gauge). */
    double subscriptionCount() {
        long n = 0;
        for (Realm r : realms.values()) {
            n += r.subscriptionCount();
        }
        return n;
    }

    /** Registrations in the realms' tables (a gauge). */
    double registrationCount() {
        long n = 0;
        for (Realm r : realms.values()) {
            n += r.registrationCount();
        }
        return n;
    }

    synchronized long nextOrderKey() {
        long now = System.currentTimeMillis() * 1000;
        lastOrderKey = Math.max(lastOrderKey + 1, now);
        return lastOrderKey;
    }

    SlowPolicy slowPolicy() {
        return slowPolicy;
    }

    /** Returns the events one jpb subscriber may have unanswered before drops start. */
    public int maxQueuedEvents() {
        return maxQueuedEvents;
    }

    /** Returns the timer for call timeouts. */
    public ScheduledExecutorService timer() {
        return timer;
    }

    /**
     * Joins this router to the cluster that shares a NATS server (docs/cluster.md).
     *
     * @param natsUrl   e.g. {@code nats://127.0.0.1:4222}
     * @param name      the cluster's name, one NATS subject token
     * @param heartbeat how often this node announces its state
     * @param timeout   how long a silent node lives on in the others' tables
     * @throws IllegalStateException if NATS cannot be reached or a cluster was joined already
     */
    public synchronized void joinCluster(String natsUrl, String name, Duration heartbeat,
            Duration timeout) {
        if (cluster != null) {
            throw new IllegalStateException("already in cluster; one per router");
        }
        cluster = ClusterNode.start(this, natsUrl, name, heartbeat, timeout);
    }

    /** Returns this node's cluster id, or null outside a cluster. */
    public String nodeId() {
        ClusterNode c = cluster;
        return c == null ? null : c.nodeId();
    }

    /** Returns the ids of the cluster's nodes this one hears, itself included; empty outside. */
    public Set<String> clusterNodes() {
        ClusterNode c = cluster;
        return c == null ? Set.of() : c.nodes();
    }

    /** Leaves the cluster (if any), ends every session and stops the timer. */
    @Override
    public void close() {
        ClusterNode c = cluster;
        if (c != null) {
            c.close();
        }
        for (Realm r : realms.values()) {
            for (Session s : r.sessionList()) {
                r.kill(s, "wamp.close.system_shutdown", "the router is shutting down");
            }
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
