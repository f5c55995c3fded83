package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.InvokePolicy;
import dev.jpb.router.Match;
import dev.jpb.router.WampError;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This router as one node of a cluster that shares a NATS server (docs/cluster.md).
 *
 * <p>Every node keeps its own sessions and subscriptions. It announces its sessions and its
 * callees' registrations on {@code jpb.<cluster>.state} when they change and every heartbeat;
 * the other nodes mirror them as stand-in sessions ({@link RemotePeer}) in their realms, so
 * routing, shared-registration policies and the session meta API see the whole cluster.
 * Publications go to every node on {@code jpb.<cluster>.event}, and each node delivers to its
 * own subscribers, so each subscriber gets each event once. Invocations and their answers go
 * point to point on {@code jpb.<cluster>.node.<id>}. A node not heard for the node timeout is
 * dropped: its stand-ins leave, failing the calls pending on them.
 *
 * <p>Threads: NATS messages arrive on one dispatcher thread; heartbeats and timeouts run on
 * this node's timer. Lock order: this node's monitor, then a realm's; realms never take ours.
 */
final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

    static final int STATE = 1;
    static final int BYE = 2;
    static final int EVENT = 3;
    static final int INVOKE = 4;
    static final int RESULT = 5;
    static final int ERROR = 6;
    static final int INTERRUPT = 7;
    static final int KILL = 8;
    static final int REVOKE = 9;
    static final int REVOKED = 10;

    /** What a REVOKE removes: a session, a subscriber or a callee. */
    static final int REVOKE_SESSION = 1;
    static final int REVOKE_SUBSCRIBER = 2;
    static final int REVOKE_CALLEE = 3;

    private final RouterCore core;
    private final String nodeId;
    private final String prefix;
    private final long heartbeatMillis;
    private final long timeoutNanos;
    private final long incarnation = System.currentTimeMillis();
    private final AtomicLong stateSeq = new AtomicLong();
    private final AtomicBoolean announcePending = new AtomicBoolean();
    private final ScheduledExecutorService timer;
    private final Connection nats;
    private final Map<String, RemoteNode> nodes = new HashMap<>(); // guarded by this
    private final AtomicLong adminTokens = new AtomicLong();
    private final Map<Long, PendingAdmin> pendingAdmin = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private ClusterNode(RouterCore core, String url, String cluster, Duration heartbeat,
            Duration timeout) throws IOException, InterruptedException {
        this.core = core;
        this.nodeId = Long.toHexString(ThreadLocalRandom.current().nextLong() | (1L << 63));
        this.prefix = "jpb." + cluster;
        this.heartbeatMillis = heartbeat.toMillis();
        this.timeoutNanos = timeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jpb-cluster-" + nodeId);
            t.setDaemon(true);
            return t;
        });
        Options options = Options.builder().server(url)
                .connectionName("jpb-router " + cluster + " " + nodeId)
                .noEcho() // a node never hears its own publications: no event twice
                .maxReconnects(-1).reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(this::connectionEvent)
                .errorListener(new NatsErrors(nodeId))
                .build();
        try {
            this.nats = Nats.connect(options);
        } catch (IOException | InterruptedException e) {
            timer.shutdownNow();
            throw e;
        }
    }

    /**
     * Connects to NATS, joins the cluster and starts the heartbeat.
     *
     * @throws IllegalStateException when NATS cannot be reached
     */
    static ClusterNode start(RouterCore core, String url, String cluster, Duration heartbeat,
            Duration timeout) {
        ClusterNode node;
        try {
            node = new ClusterNode(core, url, cluster, heartbeat, timeout);
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach NATS at " + url + " (" + e.getMessage()
                    + "); start nats-server there, or fix the --nats address", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS at " + url, e);
        }
        for (Realm r : core.realms()) {
            r.cluster(node);
        }
        Dispatcher d = node.nats.createDispatcher(node::onMessage);
        d.subscribe(node.prefix + ".state");
        d.subscribe(node.prefix + ".bye");
        d.subscribe(node.prefix + ".event");
        d.subscribe(node.direct(node.nodeId));
        node.timer.scheduleWithFixedDelay(node::heartbeat, 0, node.heartbeatMillis,
                TimeUnit.MILLISECONDS);
        log.info("router node {} joined cluster {} at {}", node.nodeId, cluster, url);
        return node;
    }

    String nodeId() {
        return nodeId;
    }

    /** Returns this node's id and those of the nodes it hears. */
    synchronized Set<String> nodes() {
        Set<String> out = new LinkedHashSet<>();
        out.add(nodeId);
        out.addAll(nodes.keySet());
        return out;
    }

    private String direct(String node) {
        return prefix + ".node." + node;
    }

    // ---- sending

    /** Announces every realm's state soon (a newcomer, a reconnect); coalesced. */
    void announceSoon() {
        if (!closed && announcePending.compareAndSet(false, true)) {
            try {
                timer.execute(this::announce);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void announce() {
        announcePending.set(false);
        for (Realm r : core.realms()) {
            r.announce();
        }
    }

    /** Publishes one realm's state of this node; the realm's lock is held. */
    void sendState(List<Object> realmState) {
        if (nats.getStatus() != Connection.Status.CONNECTED) {
            return; // a state buffered through a reconnect would be stale when it lands
        }
        send(prefix + ".state", List.of(STATE, nodeId, incarnation, stateSeq.incrementAndGet(),
                List.of(realmState)));
    }

    void publish(String realm, long publicationId, long publisherId, String topic,
            Map<String, Object> options, List<Object> args, Map<String, Object> kwargs) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (String k : new String[] {"exclude", "eligible", "disclose_me"}) {
            if (options.containsKey(k)) {
                o.put(k, options.get(k));
            }
        }
        send(prefix + ".event", List.of(EVENT, nodeId, realm, publicationId, publisherId, topic,
                o, args, kwargs));
    }

    void sendInvoke(String node, String realm, long invocationId, long calleeId, String uri,
            Match match, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        byte[] bytes = encode(List.of(INVOKE, nodeId, realm, invocationId, calleeId, uri,
                match.wireName(), details, args, kwargs));
        if (bytes == null || closed) {
            failInvocation(realm, node, invocationId, closed ? "this node is leaving"
                    : "its payload cannot be encoded");
            return;
        }
        // a request, not a publish: the callee's node acknowledges at once, so an invocation
        // nobody receives (that node gone, or not yet resubscribed after a NATS restart) fails
        // its caller now instead of leaving the call pending forever
        try {
            nats.requestWithTimeout(direct(node), bytes, Duration.ofNanos(timeoutNanos))
                    .whenComplete((ack, failure) -> {
                        if (failure != null || ack.isStatusMessage()) {
                            failInvocation(realm, node, invocationId, failure == null
                                    ? "status " + ack.getStatus() : failure.toString());
                        }
                    });
        } catch (IllegalStateException e) {
            failInvocation(realm, node, invocationId, e.getMessage());
        }
    }

    private void failInvocation(String realmName, String node, long invocationId, String why) {
        Realm realm = core.realm(realmName);
        Session callee = realm == null ? null : realm.calleeOf(invocationId);
        if (callee != null && node.equals(callee.node)) {
            realm.invocationError(callee, invocationId, WampError.of("wamp.error.canceled",
                    "callee disconnected from in-flight request: node " + node + " did not take"
                    + " the invocation (" + why + ")"));
        }
    }

    void sendInterrupt(String node, String realm, long invocationId, CancelMode mode) {
        send(direct(node), List.of(INTERRUPT, nodeId, realm, invocationId, mode.wireName()));
    }

    void sendKill(String node, String realm, long sessionId, String reason, String message) {
        send(direct(node), List.of(KILL, nodeId, realm, sessionId, reason, message));
    }

    /**
     * Forwards an admin's removal of another node's session, subscriber or callee to that
     * node; the admin is answered when that node answers, or with {@code wamp.error.canceled}
     * after the node timeout. The realm's lock is held.
     */
    void sendRevoke(Realm realm, Session target, int what, String uri, Match match,
            String reason, String message, Session admin, long requestId) {
        long token = adminTokens.incrementAndGet();
        PendingAdmin p = new PendingAdmin(realm, admin, requestId, target.node);
        pendingAdmin.put(token, p);
        try {
            p.timeout = timer.schedule(() -> {
                if (pendingAdmin.remove(token) != null) {
                    realm.answerAdmin(admin, requestId, WampError.of("wamp.error.canceled",
                            "node " + target.node + " did not answer within the node timeout;"
                            + " " + target + " may or may not have been removed"));
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pendingAdmin.remove(token);
            throw WampError.of("wamp.error.canceled", "this node is leaving the cluster");
        }
        List<Object> m = new ArrayList<>(List.of(REVOKE, nodeId, realm.name(), token, what,
                target.id(), uri, match.wireName()));
        m.add(reason);
        m.add(message);
        send(direct(target.node), m);
    }

    void sendResult(String node, String realm, long invocationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        send(direct(node), List.of(RESULT, nodeId, realm, invocationId, details, args, kwargs));
    }

    void sendError(String node, String realm, long invocationId, WampError error) {
        send(direct(node), List.of(ERROR, nodeId, realm, invocationId, error.uri(),
                error.args(), error.kwargs()));
    }

    private static byte[] encode(List<Object> message) {
        try {
            return WampCodec.packMessage(message);
        } catch (IllegalArgumentException e) {
            log.warn("cannot encode a cluster message of kind {}: {}", message.get(0),
                    e.getMessage());
            return null;
        }
    }

    private void send(String subject, List<Object> message) {
        if (closed) {
            return;
        }
        byte[] bytes = encode(message);
        if (bytes == null) {
            return;
        }
        try {
            nats.publish(subject, bytes);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // closed, or the reconnect buffer is full: NATS is at-most-once anyway
            log.warn("cluster message to {} not sent: {}", subject, e.getMessage());
        }
    }

    // ---- heartbeat and failure

    private void heartbeat() {
        try {
            announce();
            long now = System.nanoTime();
            List<String> dead = new ArrayList<>();
            synchronized (this) {
                for (RemoteNode n : nodes.values()) {
                    if (now - n.lastSeen > timeoutNanos) {
                        dead.add(n.id);
                    }
                }
            }
            for (String id : dead) {
                drop(id, "not heard for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms");
            }
        } catch (RuntimeException e) {
            log.warn("cluster heartbeat failed", e);
        }
    }

    /** Forgets a node: its stand-ins leave. {@code why} is logged; null for a clean BYE. */
    private synchronized void drop(String id, String why) {
        RemoteNode n = nodes.remove(id);
        if (n == null) {
            return;
        }
        if (why != null) {
            log.warn("router node {} dropped node {}: {}", nodeId, id, why);
        }
        for (RemoteRealm rr : n.realms.values()) {
            for (Session s : rr.proxies.values()) {
                rr.realm.leave(s); // fails the calls pending on its callees
            }
            if (rr.relay != null) {
                rr.realm.leave(rr.relay); // interrupts the calls its callers have here
            }
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        if (type == ConnectionListener.Events.RECONNECTED
                || type == ConnectionListener.Events.RESUBSCRIBED) {
            log.info("router node {} reconnected to NATS; announcing its state", nodeId);
            announceSoon();
        } else if (type == ConnectionListener.Events.DISCONNECTED) {
            log.warn("router node {} lost NATS; reconnecting", nodeId);
        }
    }

    // ---- receiving (the dispatcher thread)

    private void onMessage(Message msg) {
        List<Object> m;
        try {
            m = WampCodec.unpackMessage(msg.getData());
        } catch (WampCodec.BadMessage e) {
            log.warn("dropping a cluster message on {} that does not decode: {}",
                    msg.getSubject(), e.getMessage());
            return;
        }
        try {
            String from = (String) m.get(1);
            if (nodeId.equals(from)) {
                return;
            }
            int kind = (Integer) m.get(0);
            switch (kind) {
                case STATE:
                    handleState(from, m);
                    break;
                case BYE:
                    log.info("router node {}: node {} left the cluster", nodeId, from);
                    drop(from, null);
                    break;
                case EVENT:
                    handleEvent(m);
                    break;
                case INVOKE:
                    if (msg.getReplyTo() != null) {
                        nats.publish(msg.getReplyTo(), new byte[0]); // taken
                    }
                    handleInvoke(from, m);
                    break;
                case RESULT:
                case ERROR:
                    handleAnswer(from, kind, m);
                    break;
                case INTERRUPT:
                    handleInterrupt(from, m);
                    break;
                case KILL:
                    handleKill(m);
                    break;
                case REVOKE:
                    handleRevoke(from, m);
                    break;
                case REVOKED:
                    handleRevoked(m);
                    break;
                default:
                    log.warn("dropping a cluster message of unknown kind {} from {}", kind, from);
            }
        } catch (RuntimeException e) {
            log.warn("dropping a malformed cluster message on {}: {}", msg.getSubject(),
                    e.toString());
        }
    }

    @SuppressWarnings("unchecked")
    private void handleState(String from, List<Object> m) {
        boolean fresh;
        synchronized (this) {
            RemoteNode n = nodes.get(from);
            fresh = n == null;
            if (fresh) {
                n = new RemoteNode(from);
                nodes.put(from, n);
                log.info("router node {} hears node {}", nodeId, from);
            }
            n.lastSeen = System.nanoTime();
            for (Object o : (List<Object>) m.get(4)) {
                List<Object> rs = (List<Object>) o;
                Realm realm = core.realm((String) rs.get(0));
                if (realm != null) {
                    RemoteRealm rr = n.realm(realm);
                    mirror(rr, (List<Object>) rs.get(1), (List<Object>) rs.get(2));
                    mirrorSubscriptions(rr, (List<Object>) rs.get(3));
                }
            }
        }
        if (fresh) {
            announceSoon(); // the newcomer learns this node now, not at the next heartbeat
        }
    }

    @SuppressWarnings("unchecked")
    private void mirror(RemoteRealm rr, List<Object> sessions, List<Object> registrations) {
        Map<Long, Map<String, Object>> wanted = new LinkedHashMap<>();
        for (Object o : sessions) {
            List<Object> s = (List<Object>) o;
            wanted.put(((Number) s.get(0)).longValue(), (Map<String, Object>) s.get(1));
        }
        for (Long id : new ArrayList<>(rr.proxies.keySet())) {
            if (!wanted.containsKey(id)) {
                rr.realm.leave(rr.proxies.remove(id));
            }
        }
        for (Map.Entry<Long, Map<String, Object>> e : wanted.entrySet()) {
            if (!rr.proxies.containsKey(e.getKey())) {
                Session s = rr.realm.joinRemote(e.getKey(), e.getValue(),
                        new RemotePeer(this, rr.realm, rr.node, e.getKey()), rr.node);
                if (s != null) {
                    rr.proxies.put(e.getKey(), s);
                }
            }
        }
        Map<RegKey, List<Object>> regs = new LinkedHashMap<>();
        for (Object o : registrations) {
            List<Object> r = (List<Object>) o;
            regs.put(new RegKey(((Number) r.get(0)).longValue(), (String) r.get(1),
                    Match.fromWire(r.get(2))), r);
        }
        for (RegKey k : new ArrayList<>(rr.registrations)) {
            if (!regs.containsKey(k)) {
                rr.registrations.remove(k);
                Session s = rr.proxies.get(k.session);
                if (s != null) {
                    rr.realm.unregisterRemote(s, k.uri, k.match);
                }
            }
        }
        for (Map.Entry<RegKey, List<Object>> e : regs.entrySet()) {
            RegKey k = e.getKey();
            Session s = rr.proxies.get(k.session);
            if (s != null && rr.registrations.add(k)) {
                rr.realm.registerRemote(s, k.uri, k.match,
                        InvokePolicy.fromWire(e.getValue().get(3)),
                        ((Number) e.getValue().get(4)).longValue());
            }
        }
        // a stand-in whose session left took its registrations along
        rr.registrations.removeIf(k -> !rr.proxies.containsKey(k.session));
    }

    @SuppressWarnings("unchecked")
    private void mirrorSubscriptions(RemoteRealm rr, List<Object> subscriptions) {
        Set<SubKey> wanted = new LinkedHashSet<>();
        for (Object o : subscriptions) {
            List<Object> r = (List<Object>) o;
            wanted.add(new SubKey(((Number) r.get(0)).longValue(), (String) r.get(1),
                    Match.fromWire(r.get(2))));
        }
        rr.subscriptions.removeIf(k -> !rr.proxies.containsKey(k.session));
        for (SubKey k : new ArrayList<>(rr.subscriptions)) {
            if (!wanted.contains(k)) {
                rr.subscriptions.remove(k);
                rr.realm.unsubscribeRemote(rr.proxies.get(k.session), k.uri, k.match);
            }
        }
        for (SubKey k : wanted) {
            Session s = rr.proxies.get(k.session);
            if (s != null && rr.subscriptions.add(k)) {
                rr.realm.subscribeRemote(s, k.uri, k.match);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void handleEvent(List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        if (realm == null) {
            return;
        }
        realm.deliverRemote(((Number) m.get(3)).longValue(), ((Number) m.get(4)).longValue(),
                (String) m.get(5), (Map<String, Object>) m.get(6), (List<Object>) m.get(7),
                (Map<String, Object>) m.get(8));
    }

    @SuppressWarnings("unchecked")
    private void handleInvoke(String from, List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        if (realm == null) {
            return;
        }
        realm.invokeFor(relay(from, realm), ((Number) m.get(3)).longValue(),
                ((Number) m.get(4)).longValue(), (String) m.get(5), Match.fromWire(m.get(6)),
                (Map<String, Object>) m.get(7), (List<Object>) m.get(8),
                (Map<String, Object>) m.get(9));
    }

    @SuppressWarnings("unchecked")
    private void handleAnswer(String from, int kind, List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        if (realm == null) {
            return;
        }
        long invocationId = ((Number) m.get(3)).longValue();
        Session callee = realm.calleeOf(invocationId);
        if (callee == null || !from.equals(callee.node)) {
            return; // answered already (skip, timeout), or not that node's
        }
        if (kind == RESULT) {
            realm.yield(callee, invocationId, (Map<String, Object>) m.get(4),
                    (List<Object>) m.get(5), (Map<String, Object>) m.get(6));
        } else {
            realm.invocationError(callee, invocationId, new WampError((String) m.get(4),
                    (List<Object>) m.get(5), (Map<String, Object>) m.get(6)));
        }
    }

    private void handleInterrupt(String from, List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        if (realm == null) {
            return;
        }
        realm.cancel(relay(from, realm), ((Number) m.get(3)).longValue(),
                Map.of("mode", m.get(4)));
    }

    private void handleKill(List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        Session s = realm == null ? null : realm.session(((Number) m.get(3)).longValue());
        if (s != null && s.local()) {
            realm.kill(s, (String) m.get(4), (String) m.get(5));
        }
    }

    private void handleRevoke(String from, List<Object> m) {
        Realm realm = core.realm((String) m.get(2));
        WampError error = realm == null
                ? WampError.of("wamp.error.no_such_realm", "no realm " + m.get(2) + " here")
                : realm.revokeFor(((Number) m.get(4)).intValue(),
                        ((Number) m.get(5)).longValue(), (String) m.get(6),
                        Match.fromWire(m.get(7)), (String) m.get(8), (String) m.get(9));
        // this node's new state left before this answer, on the same connection: the
        // admin's node mirrors the removal before it answers the admin
        List<Object> answer = new ArrayList<>(List.of(REVOKED, nodeId, m.get(2), m.get(3)));
        answer.add(error == null ? null : error.uri());
        answer.add(error == null ? null : error.getMessage());
        send(direct(from), answer);
    }

    private void handleRevoked(List<Object> m) {
        PendingAdmin p = pendingAdmin.remove(((Number) m.get(3)).longValue());
        if (p == null) {
            return; // timed out already
        }
        p.timeout.cancel(false);
        Object uri = m.get(4);
        p.realm.answerAdmin(p.admin, p.requestId, uri == null ? null
                : WampError.of((String) uri, String.valueOf(m.get(5))));
    }

    private synchronized Session relay(String from, Realm realm) {
        RemoteNode n = nodes.get(from);
        if (n == null) { // an invocation before that node's first state
            n = new RemoteNode(from);
            nodes.put(from, n);
        }
        RemoteRealm rr = n.realm(realm);
        if (rr.relay == null) {
            rr.relay = new Session(-ThreadLocalRandom.current().nextLong(1, Realm.MAX_ID), realm,
                    new RelayPeer(this, realm.name(), from), Map.of(), from, true);
        }
        return rr.relay;
    }

    /** Leaves the cluster: the other nodes drop this one at once. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        send(prefix + ".bye", List.of(BYE, nodeId));
        closed = true;
        timer.shutdownNow();
        try {
            nats.flush(Duration.ofSeconds(1));
        } catch (java.util.concurrent.TimeoutException | InterruptedException
                 | IllegalStateException e) {
            log.debug("NATS flush on close: {}", e.toString());
        }
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record RegKey(long session, String uri, Match match) {
    }

    private record SubKey(long session, String uri, Match match) {
    }

    /** An admin's removal waiting for another node's answer. */
    private static final class PendingAdmin {
        final Realm realm;
        final Session admin;
        final long requestId;
        final String node;
        volatile ScheduledFuture<?> timeout; // set once, after put

        PendingAdmin(Realm realm, Session admin, long requestId, String node) {
            this.realm = realm;
            this.admin = admin;
            this.requestId = requestId;
            this.node = node;
        }
    }

    /** jnats's errors, in this router's log. */
    private static final class NatsErrors implements ErrorListener {
        private final String nodeId;

        NatsErrors(String nodeId) {
            this.nodeId = nodeId;
        }

        @Override
        public void errorOccurred(Connection conn, String error) {
            log.warn("router node {}: NATS error: {}", nodeId, error);
        }

        @Override
        public void exceptionOccurred(Connection conn, Exception e) {
            log.info("router node {}: NATS connection: {}", nodeId, e.toString());
        }

        @Override
        public void slowConsumerDetected(Connection conn, io.nats.client.Consumer consumer) {
            log.warn("router node {} does not keep up with the cluster's messages: NATS drops"
                    + " some (a slow consumer); the node needs more CPU, or the cluster fewer"
                    + " publications", nodeId);
        }
    }

    /** What this node mirrors of another node. Guarded by the cluster node's monitor. */
    private static final class RemoteNode {
        final String id;
        volatile long lastSeen = System.nanoTime();
        final Map<String, RemoteRealm> realms = new HashMap<>();

        RemoteNode(String id) {
            this.id = id;
        }

        RemoteRealm realm(Realm realm) {
            return realms.computeIfAbsent(realm.name(), k -> new RemoteRealm(realm, id));
        }
    }

    private static final class RemoteRealm {
        final Realm realm;
        final String node;
        final Map<Long, Session> proxies = new HashMap<>();
        final Set<RegKey> registrations = new HashSet<>();
        final Set<SubKey> subscriptions = new HashSet<>();
        Session relay;

        RemoteRealm(Realm realm, String node) {
            this.realm = realm;
            this.node = node;
        }
    }
}
