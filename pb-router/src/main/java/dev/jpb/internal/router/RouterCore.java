package dev.jpb.internal.router;

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

    /** Ends every session and stops the timer. */
    @Override
    public void close() {
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
