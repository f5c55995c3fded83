package dev.jpb.router;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Root;
import dev.jpb.internal.router.PbFace;
import dev.jpb.internal.router.Realm;
import dev.jpb.internal.router.RouterCore;
import dev.jpb.internal.router.Session;
import dev.jpb.server.PbServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A WAMP-style router: realms, each with its sessions, subscriptions and registrations.
 *
 * <p>It has no socket of its own: serve it with {@link RouterEndpoint} (WAMP over WebSocket,
 * the HTTP bridge and the jpb face), or hand {@link #pbRoot()} to your own
 * {@code PbServer}. Thread-safe; each realm changes one message at a time.
 */
public final class Router implements AutoCloseable {
    private final RouterCore core;
    private final PbFace pbRoot;
    private final Object meterRegistry; // a Micrometer MeterRegistry, or null

    private Router(Builder b) {
        this.core = new RouterCore(new ArrayList<>(b.realms),
                b.slowPolicy == SlowSubscriberPolicy.DROP ? RouterCore.SlowPolicy.DROP
                        : RouterCore.SlowPolicy.DISCONNECT, b.maxQueuedEvents, b.adminRoles);
        this.meterRegistry = b.meterRegistry;
        if (b.meterRegistry != null) {
            core.meterRegistry(b.meterRegistry);
        }
        this.pbRoot = new PbFace(core);
        if (b.natsUrl != null) {
            try {
                core.joinCluster(b.natsUrl, b.clusterName, b.heartbeat, b.nodeTimeout);
            } catch (RuntimeException e) {
                core.close();
                throw e;
            }
        }
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the types both ends of a jpb connection to the router must register
     * ({@code PbServer.builder().register(Router.wireTypes())}, the same on the client), so
     * that {@link WampError} crosses as itself.
     *
     * @return the types to register, a new array each call
     */
    public static Class<?>[] wireTypes() {
        return new Class<?>[] {WampError.class};
    }

    /**
     * Returns the root jpb clients join through ({@code root.callRemote("join", realm)}, or
     * {@link RouterClient}). One object for every connection.
     *
     * @return the router's jpb root
     */
    public Root pbRoot() {
        return pbRoot;
    }

    /** {@return the names of the realms this router serves} */
    public Set<String> realms() {
        Set<String> out = new LinkedHashSet<>();
        for (Realm r : core.realms()) {
            out.add(r.name());
        }
        return out;
    }

    /**
     * Returns how many events the slow-subscriber policy dropped for a session, or -1 if no
     * such session is joined.
     *
     * @param sessionId the WAMP session id
     * @return the number of dropped events, or -1 for an unknown session
     */
    public long droppedEvents(long sessionId) {
        for (Realm r : core.realms()) {
            Session s = r.session(sessionId);
            if (s != null) {
                return s.droppedEvents();
            }
        }
        return -1;
    }

    /**
     * Returns the ids of the sessions joined to a realm.
     *
     * @param realm the realm's name
     * @return the session ids, in join order
     * @throws IllegalArgumentException if the router has no such realm
     */
    public List<Long> sessionIds(String realm) {
        Realm r = core.realm(realm);
        checkArgument(r != null, "realm: %s (expected one of %s)", realm, realms());
        List<Long> out = new ArrayList<>();
        for (Session s : r.sessionList()) {
            out.add(s.id());
        }
        return out;
    }

    /**
     * Returns the ids of the cluster nodes this router hears, its own included (the first);
     * empty when the router is not in a cluster ({@link Builder#nats}).
     *
     * @return a snapshot of the node ids
     */
    public Set<String> clusterNodes() {
        return core.clusterNodes();
    }

    /** Gives an endpoint's jpb server this router's registry, if it has one. */
    void applyMeterRegistry(PbServer.Builder b) {
        if (meterRegistry != null) {
            b.meterRegistry((MeterRegistry) meterRegistry);
        }
    }

    RouterCore core() {
        return core;
    }

    /** Ends every session (WAMP peers get GOODBYE) and stops the router's timer. Idempotent. */
    @Override
    public void close() {
        core.close();
    }

    /** Configures a {@link Router}; not thread-safe. */
    public static final class Builder {
        private final Set<String> realms = new LinkedHashSet<>();
        private SlowSubscriberPolicy slowPolicy = SlowSubscriberPolicy.DROP;
        private int maxQueuedEvents = 1024;
        private final Set<String> adminRoles = new LinkedHashSet<>();
        private String natsUrl;
        private String clusterName = "jpb";
        private Duration heartbeat = Duration.ofSeconds(1);
        private Duration nodeTimeout = Duration.ofSeconds(3);
        private Object meterRegistry; // a Micrometer MeterRegistry, or null: no metrics

        private Builder() {
        }

        /**
         * Makes this router a node of the cluster that shares this NATS server: its realms are
         * the cluster's (see docs/cluster.md). Default none: a router on its own.
         *
         * @param url the NATS server, e.g. {@code nats://127.0.0.1:4222}
         * @return this builder
         */
        public Builder nats(String url) {
            requireNonNull(url, "url");
            checkArgument(url.startsWith("nats://") || url.startsWith("tls://"),
                    "nats: %s (expected nats://host:port)", url);
            this.natsUrl = url;
            return this;
        }

        /**
         * Names the cluster; routers on one NATS server with different names do not see each
         * other. Default {@code jpb}.
         *
         * @param name letters, digits, {@code -} and {@code _}
         * @return this builder
         */
        public Builder clusterName(String name) {
            requireNonNull(name, "name");
            checkArgument(name.matches("[A-Za-z0-9_-]+"),
                    "clusterName: %s (expected letters, digits, - and _)", name);
            this.clusterName = name;
            return this;
        }

        /**
         * Sets how often a cluster node announces its state (its heartbeat). Default 1 s.
         *
         * @param interval the interval, &gt; 0
         * @return this builder
         */
        public Builder heartbeat(Duration interval) {
            requireNonNull(interval, "interval");
            checkArgument(interval.toMillis() > 0, "heartbeat: %s (expected: >= 1 ms)",
                    interval);
            this.heartbeat = interval;
            return this;
        }

        /**
         * Sets how long the other nodes wait for a silent node before they drop it: its
         * sessions leave, its registrations vanish and calls pending on its callees fail with
         * {@code wamp.error.canceled}. Default 3 s; must exceed the heartbeat.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder nodeTimeout(Duration timeout) {
            this.nodeTimeout = requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Records this router's metrics in {@code registry} (Micrometer): sessions by
         * transport, subscriptions and registrations, events published, delivered and dropped
         * by the slow-subscriber policy, routed calls by outcome with a latency timer; every
         * meter is named {@code jpb.router.*} with bounded tags only (never a topic, procedure
         * or session id); README section "Metrics" lists them. Off by default, and then free:
         * Micrometer is an optional dependency, and the router never loads its classes unless
         * this method is called. A {@link RouterEndpoint} of this router records its jpb
         * connections' {@code jpb.*} meters in the same registry.
         *
         * @param registry the registry; not closed by the router
         * @return this builder
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Lets sessions with these authroles call the admin meta procedures
         * ({@code wamp.session.kill}, {@code kill_by_authid}, {@code kill_by_authrole},
         * {@code wamp.subscription.remove_subscriber}, {@code wamp.registration.remove_callee});
         * others get {@code wamp.error.not_authorized}. Default none. Every session is
         * {@code anonymous} until the router authenticates, so {@code adminRoles("anonymous")}
         * gives these procedures to every client: do that only on a trusted network.
         *
         * @param roles the authroles, added to those of earlier calls
         * @return this builder
         */
        public Builder adminRoles(String... roles) {
            for (String r : requireNonNull(roles, "roles")) {
                requireNonNull(r, "role");
                checkArgument(!r.isBlank(), "adminRoles: blank role");
                adminRoles.add(r);
            }
            return this;
        }

        /**
         * Adds a realm; with none, the router serves {@code realm1}.
         *
         * @param name the realm's name, a WAMP URI
         * @return this builder
         */
        public Builder realm(String name) {
            requireNonNull(name, "name");
            checkArgument(!name.isEmpty() && !name.startsWith("wamp."),
                    "realm: %s (expected a non-empty URI outside wamp.)", name);
            realms.add(name);
            return this;
        }

        /**
         * Sets what happens to a subscriber that does not keep up. Default {@code DROP}.
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder slowSubscriberPolicy(SlowSubscriberPolicy policy) {
            this.slowPolicy = requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Sets how many events one jpb subscriber may have that it is not known to have read
         * (events go one-way; one in 32 is answered, and its answer shows the client read all
         * before it) before the slow-subscriber policy applies. Default 1024. (WAMP
         * subscribers are bounded in bytes, see
         * {@link RouterEndpoint.Builder#maxQueuedBytes}.)
         *
         * @param n the bound
         * @return this builder
         */
        public Builder maxQueuedEvents(int n) {
            checkArgument(n > 0, "maxQueuedEvents: %s (expected: > 0)", n);
            this.maxQueuedEvents = n;
            return this;
        }

        /**
         * Builds the router; its timer thread starts now, and with {@link #nats} it connects
         * and joins the cluster.
         *
         * @return the router; close it to end its sessions and stop the timer
         * @throws IllegalStateException if the NATS server cannot be reached
         */
        public Router build() {
            checkArgument(nodeTimeout.compareTo(heartbeat) > 0,
                    "nodeTimeout: %s (expected: > heartbeat %s)", nodeTimeout, heartbeat);
            if (realms.isEmpty()) {
                realms.add("realm1");
            }
            return new Router(this);
        }
    }
}
