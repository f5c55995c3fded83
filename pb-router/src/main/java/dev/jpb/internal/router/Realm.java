package dev.jpb.internal.router;

import dev.jpb.internal.broker.SharedCall;
import dev.jpb.router.CancelMode;
import dev.jpb.router.InvokePolicy;
import dev.jpb.router.Match;
import dev.jpb.router.WampError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One realm: its sessions, subscriptions (the broker) and registrations (the dealer). Every
 * method holds the realm's lock, so a realm's tables change one message at a time and events
 * reach each subscriber in publication order; peers only enqueue under it.
 */
public final class Realm {
    private static final Logger log = LoggerFactory.getLogger(Realm.class);
    static final long MAX_ID = 1L << 53;

    private final String name;
    private final RouterCore core;
    private final Meta meta = new Meta(this);
    // all guarded by this
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private final Map<Match, Map<String, SubscriptionEntry>> topics = new EnumMap<>(Match.class);
    private final Map<Long, SubscriptionEntry> subscriptionsById = new HashMap<>();
    /** The matching subscriptions per published topic; cleared when a subscription comes or
     *  goes (not when subscribers of one do), and when it grows past {@value #MAX_MATCHES}. */
    private final Map<String, List<SubscriptionEntry>> matches = new HashMap<>();
    private static final int MAX_MATCHES = 4096;
    // The last event call of jpb subscribers, shared by the publication's jpb sessions.
    private Map<String, Object> lastDetails;
    private SharedCall lastEvent;
    private long lastSubscription;
    private long lastPublication;
    private final Map<Match, Map<String, RegistrationEntry>> procedures =
            new EnumMap<>(Match.class);
    private final Map<Long, RegistrationEntry> registrationsById = new HashMap<>();
    private final Map<Long, PendingCall> invocations = new HashMap<>();
    private final Map<CallKey, PendingCall> calls = new HashMap<>();
    private long nextId = 1;
    private volatile ClusterNode cluster; // written once, before the router serves sessions

    Realm(String name, RouterCore core) {
        this.name = name;
        this.core = core;
        for (Match m : Match.values()) {
            topics.put(m, new LinkedHashMap<>());
            procedures.put(m, new LinkedHashMap<>());
        }
    }

    /** Returns the realm's name. */
    public String name() {
        return name;
    }

    RouterCore core() {
        return core;
    }

    void cluster(ClusterNode node) {
        this.cluster = node;
    }

    /**
     * Tells the cluster (if any) that this node's sessions or registrations changed: the new
     * state is published now, under the lock, so it reaches the other nodes before anything
     * this node sends later (a REGISTERED answered, a call routed on it), and states leave in
     * the order they were taken.
     */
    private void localChanged(Session s) {
        ClusterNode c = cluster;
        if (c != null && s.local() && !s.relay) {
            c.sendState(localState());
        }
    }

    /** Publishes this node's state of the realm (the heartbeat). */
    synchronized void announce() {
        ClusterNode c = cluster;
        if (c != null) {
            c.sendState(localState());
        }
    }

    // ---- sessions

    /**
     * Joins a session.
     *
     * @param peer    its transport
     * @param details authid, authrole, authmethod, transport ...
     * @return the session
     */
    public synchronized Session join(Peer peer, Map<String, Object> details) {
        long id;
        do {
            id = ThreadLocalRandom.current().nextLong(1, MAX_ID + 1);
        } while (sessions.containsKey(id));
        Session s = new Session(id, this, peer, details);
        sessions.put(id, s);
        core.metrics().sessionJoined(s.transport);
        metaEvent("wamp.session.on_join", List.of(s.details()));
        localChanged(s);
        return s;
    }

    /** Removes a session: its subscriptions, registrations and calls in flight. Idempotent. */
    public synchronized void leave(Session s) {
        if (!s.open) {
            return;
        }
        s.open = false;
        sessions.remove(s.id());
        if (s.local() && !s.relay) {
            core.metrics().sessionLeft(s.transport);
        }
        for (SubscriptionEntry e : new ArrayList<>(s.subscriptions)) {
            dropSubscriber(s, e);
        }
        for (RegistrationEntry e : new ArrayList<>(s.registrations)) {
            dropCallee(s, e);
        }
        for (PendingCall p : new ArrayList<>(invocations.values())) {
            if (p.callee == s) {
                forget(p);
                ended(p, RouterMetrics.Outcomes.CANCELED);
                p.caller.peer().callError(p.callerRequestId, new WampError(
                        "wamp.error.canceled", List.of("callee disconnected from in-flight request"
                        + " (session " + s.id() + " left while running " + p.procedure + ")"),
                        Map.of()));
            } else if (p.caller == s) {
                forget(p);
                ended(p, RouterMetrics.Outcomes.CANCELED);
                if (p.callee.peer().canInterrupt()) {
                    p.callee.peer().interrupt(p.invocationId, CancelMode.KILLNOWAIT);
                }
            }
        }
        if (!s.relay) {
            metaEvent("wamp.session.on_leave", List.of(s.id()));
        }
        localChanged(s);
    }

    /** Ends a session from the router's side: the peer is told, then the session leaves. */
    public void kill(Session s, String reasonUri, String message) {
        s.peer().kill(reasonUri, message);
        leave(s);
    }

    /**
     * An admin removes one subscriber from a subscription; the subscriber is told (WAMP's
     * UNSUBSCRIBED with request 0). A subscriber on another node is removed by its node: the
     * admin's answer then waits for that node's (docs/cluster.md). Realm lock held (called
     * from the meta API).
     *
     * @return true if done, false if the answer comes later through {@link #answerAdmin}
     * @throws WampError {@code wamp.error.no_such_subscription} or {@code no_such_session}
     */
    boolean removeSubscriber(Session admin, long requestId, long subscriptionId,
            long sessionId, String reason) {
        SubscriptionEntry e = subscriptionsById.get(subscriptionId);
        if (e == null) {
            throw WampError.of("wamp.error.no_such_subscription", "no subscription "
                    + subscriptionId);
        }
        Session s = sessions.get(sessionId);
        if (s == null || !e.subscribers.contains(s)) {
            throw WampError.of("wamp.error.no_such_session", "no session " + sessionId
                    + " subscribed to subscription " + subscriptionId);
        }
        if (!s.local()) {
            cluster.sendRevoke(this, s, ClusterNode.REVOKE_SUBSCRIBER, e.uri, e.match, reason,
                    null, admin, requestId);
            return false;
        }
        dropSubscriber(s, e);
        s.peer().subscriptionRevoked(e.id, reason);
        localChanged(s);
        return true;
    }

    /**
     * An admin removes one callee from a registration; the callee is told (UNREGISTERED with
     * request 0). Invocations it is running still answer their callers. A callee on another
     * node is removed by its node. Realm lock held.
     *
     * @return true if done, false if the answer comes later through {@link #answerAdmin}
     * @throws WampError {@code wamp.error.no_such_registration} or {@code no_such_session}
     */
    boolean removeCallee(Session admin, long requestId, long registrationId, long sessionId,
            String reason) {
        RegistrationEntry e = registrationsById.get(registrationId);
        if (e == null) {
            throw WampError.of("wamp.error.no_such_registration", "no registration "
                    + registrationId);
        }
        Session s = sessions.get(sessionId);
        if (s == null || !e.callees.contains(s)) {
            throw WampError.of("wamp.error.no_such_session", "no session " + sessionId
                    + " is a callee of registration " + registrationId);
        }
        if (!s.local()) {
            cluster.sendRevoke(this, s, ClusterNode.REVOKE_CALLEE, e.uri, e.match, reason,
                    null, admin, requestId);
            return false;
        }
        dropCallee(s, e);
        s.peer().registrationRevoked(e.id, reason);
        return true;
    }

    /**
     * An admin kills a session; one on another node is killed by its node, and the admin's
     * answer waits for it. Realm lock held.
     *
     * @return true if done, false if the answer comes later through {@link #answerAdmin}
     */
    boolean killByAdmin(Session admin, long requestId, Session s, String reason,
            String message) {
        if (!s.local()) {
            cluster.sendRevoke(this, s, ClusterNode.REVOKE_SESSION, "", Match.EXACT, reason,
                    message, admin, requestId);
            return false;
        }
        kill(s, reason, message);
        return true;
    }

    /**
     * Runs, on this node, an admin's removal that another node forwarded (its session, its
     * subscriber, its callee); this node's new state is sent before this returns, so the
     * admin's node has it before the answer.
     *
     * @return null when done, or why not
     */
    synchronized WampError revokeFor(int what, long sessionId, String uri, Match match,
            String reason, String message) {
        Session s = sessions.get(sessionId);
        if (s == null || !s.local()) {
            return WampError.of("wamp.error.no_such_session", "no session " + sessionId
                    + " on this node (it left)");
        }
        if (what == ClusterNode.REVOKE_SESSION) {
            kill(s, reason, message);
            return null;
        }
        if (what == ClusterNode.REVOKE_SUBSCRIBER) {
            SubscriptionEntry e = topics.get(match).get(uri);
            if (e == null || !e.subscribers.contains(s)) {
                return WampError.of("wamp.error.no_such_session", s + " is not subscribed to "
                        + uri + " (it unsubscribed)");
            }
            dropSubscriber(s, e);
            s.peer().subscriptionRevoked(e.id, reason);
            localChanged(s);
            return null;
        }
        RegistrationEntry e = procedures.get(match).get(uri);
        if (e == null || !e.callees.contains(s)) {
            return WampError.of("wamp.error.no_such_session", s + " is not a callee of "
                    + uri + " (it unregistered)");
        }
        dropCallee(s, e);
        s.peer().registrationRevoked(e.id, reason);
        return null;
    }

    /** Answers an admin's meta call that waited for another node. */
    synchronized void answerAdmin(Session admin, long requestId, WampError error) {
        if (!admin.open) {
            return;
        }
        if (error == null) {
            admin.peer().result(requestId, Map.of(), List.of(), Map.of());
        } else {
            admin.peer().callError(requestId, error);
        }
    }

    /** Returns a snapshot of the joined sessions. */
    public synchronized Collection<Session> sessionList() {
        return new ArrayList<>(sessions.values());
    }

    /** Returns the joined session with that id, or null. */
    public synchronized Session session(long id) {
        return sessions.get(id);
    }

    // ---- broker

    /**
     * Subscribes a session; subscribing twice to the same topic and policy returns the same id.
     *
     * @throws WampError for an invalid URI or option
     */
    public synchronized long subscribe(Session s, Object topic, Map<String, Object> options) {
        Match match = Match.fromWire(options.get("match"));
        String uri = Uris.checkPattern(topic, match, "topic");
        long id = addSubscriber(s, uri, match);
        subscriptionsChanged(s);
        return id;
    }

    private long addSubscriber(Session s, String uri, Match match) {
        SubscriptionEntry e = topics.get(match).get(uri);
        boolean created = false;
        if (e == null) {
            e = new SubscriptionEntry(stableId("subscription", match, uri, subscriptionsById),
                    uri, match, Instant.now());
            topics.get(match).put(uri, e);
            subscriptionsById.put(e.id, e);
            matches.clear();
            created = true;
        }
        boolean added = e.add(s);
        s.subscriptions.add(e);
        if (!uri.startsWith("wamp.")) {
            if (created) {
                metaEvent("wamp.subscription.on_create", List.of(s.id(), e.describe()));
            }
            if (added) {
                metaEvent("wamp.subscription.on_subscribe", List.of(s.id(), e.id));
            }
        }
        return e.id;
    }

    /**
     * Tells the cluster (if any) that a local session's subscriptions changed. Unlike
     * registrations this need not reach the others before the answer (every node delivers
     * every publication to its own subscribers): the meta API's view of other nodes' state
     * may lag by one NATS hop, so the announcement is coalesced.
     */
    private void subscriptionsChanged(Session s) {
        ClusterNode c = cluster;
        if (c != null && s.local() && !s.relay) {
            c.announceSoon();
        }
    }

    /**
     * Unsubscribes a session.
     *
     * @throws WampError {@code wamp.error.no_such_subscription}
     */
    public synchronized void unsubscribe(Session s, long subscriptionId) {
        SubscriptionEntry e = subscriptionsById.get(subscriptionId);
        if (e == null || !e.subscribers.contains(s)) {
            throw WampError.of("wamp.error.no_such_subscription", "session " + s.id()
                    + " has no subscription " + subscriptionId);
        }
        dropSubscriber(s, e);
        subscriptionsChanged(s);
    }

    private void dropSubscriber(Session s, SubscriptionEntry e) {
        e.remove(s);
        s.subscriptions.remove(e);
        boolean metaOk = !e.uri.startsWith("wamp.");
        if (metaOk) {
            metaEvent("wamp.subscription.on_unsubscribe", List.of(s.id(), e.id));
        }
        if (e.subscribers.isEmpty()) {
            topics.get(e.match).remove(e.uri);
            subscriptionsById.remove(e.id);
            matches.clear();
            if (metaOk) {
                metaEvent("wamp.subscription.on_delete", List.of(s.id(), e.id));
            }
        }
    }

    /**
     * Publishes an event to every matching subscription once.
     *
     * @param publisher the publishing session, or null for the router itself
     * @return the publication id
     * @throws WampError for an invalid URI or option
     */
    public synchronized long publish(Session publisher, Object topic, Map<String, Object> options,
            List<Object> args, Map<String, Object> kwargs) {
        String uri = Uris.checkConcrete(topic, "topic");
        if (publisher != null) {
            Uris.checkNotReserved(uri, "topic");
        }
        long publicationId = ThreadLocalRandom.current().nextLong(1, MAX_ID + 1);
        core.metrics().published("local");
        deliver(publisher, publisher == null ? 0 : publisher.id(), uri, options, args, kwargs,
                publicationId);
        ClusterNode c = cluster;
        if (c != null) {
            c.publish(name, publicationId, publisher == null ? 0 : publisher.id(), uri, options,
                    args, kwargs);
        }
        return publicationId;
    }

    /** Delivers another node's publication to this node's subscribers. */
    synchronized void deliverRemote(long publicationId, long publisherId, String uri,
            Map<String, Object> options, List<Object> args, Map<String, Object> kwargs) {
        core.metrics().published("cluster");
        deliver(null, publisherId, uri, options, args, kwargs, publicationId);
    }

    private void deliver(Session publisher, long publisherId, String uri,
            Map<String, Object> options, List<Object> args, Map<String, Object> kwargs,
            long publicationId) {
        boolean excludeMe = !Boolean.FALSE.equals(options.get("exclude_me"));
        Set<Long> exclude = Options.ids(options.get("exclude"), "exclude");
        Set<Long> eligible = Options.ids(options.get("eligible"), "eligible");
        boolean disclose = Boolean.TRUE.equals(options.get("disclose_me"));
        for (SubscriptionEntry e : matchingSubscriptions(uri)) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (e.match != Match.EXACT) {
                details.put("topic", uri);
            }
            if (disclose && publisherId != 0) {
                details.put("publisher", publisherId);
            }
            for (Session s : e.snapshot()) {
                if (!s.open || !s.local() || (s == publisher && excludeMe)
                        || (exclude != null && exclude.contains(s.id()))
                        || (eligible != null && !eligible.contains(s.id()))) {
                    continue;
                }
                if (s.peer().event(e.id, publicationId, details, args, kwargs)) {
                    core.metrics().delivered();
                } else {
                    core.metrics().dropped();
                    slowSubscriber(s);
                }
            }
        }
    }

    private void slowSubscriber(Session s) {
        long n = s.countDrop();
        if (core.slowPolicy() == RouterCore.SlowPolicy.DISCONNECT) {
            log.warn("{} in realm {} is not reading its events; disconnecting it"
                    + " (slow-subscriber policy DISCONNECT)", s, name);
            kill(s, "wamp.close.slow_subscriber", "events were not read fast enough");
        } else if (Long.bitCount(n) == 1) { // log at 1, 2, 4, 8 ... drops
            log.warn("{} in realm {} is not reading its events: {} dropped so far"
                    + " (slow-subscriber policy DROP)", s, name, n);
        }
    }

    /**
     * A jpb subscriber's event call: {@code event(details, args, kwargs)} with the subscription
     * and publication ids in the details. The sessions of one subscription share it for a
     * publication, so the connections encode it once between them where they can.
     */
    SharedCall jpbEvent(Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs, long subscriptionId, long publicationId) {
        assert Thread.holdsLock(this);
        if (details == lastDetails && subscriptionId == lastSubscription
                && publicationId == lastPublication) {
            return lastEvent;
        }
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("subscription", subscriptionId);
        d.put("publication", publicationId);
        lastDetails = details;
        lastEvent = SharedCall.of("event", d, args, kwargs);
        lastSubscription = subscriptionId;
        lastPublication = publicationId;
        return lastEvent;
    }

    /** The subscriptions matching a concrete topic; read-only, cached per topic. */
    List<SubscriptionEntry> matchingSubscriptions(String uri) {
        assert Thread.holdsLock(this);
        List<SubscriptionEntry> cached = matches.get(uri);
        if (cached != null) {
            return cached;
        }
        List<SubscriptionEntry> out = List.copyOf(findSubscriptions(uri));
        if (matches.size() >= MAX_MATCHES) {
            matches.clear();
        }
        matches.put(uri, out);
        return out;
    }

    private List<SubscriptionEntry> findSubscriptions(String uri) {
        List<SubscriptionEntry> out = new ArrayList<>();
        SubscriptionEntry exact = topics.get(Match.EXACT).get(uri);
        if (exact != null) {
            out.add(exact);
        }
        for (Match m : new Match[] {Match.PREFIX, Match.WILDCARD}) {
            for (SubscriptionEntry e : topics.get(m).values()) {
                if (Uris.matches(m, e.uri, uri)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Publishes a meta event from the router (no publisher, nothing excluded). */
    void metaEvent(String topic, List<Object> args) {
        // in a cluster every node raises meta events itself from its own tables, which
        // mirror the other nodes' sessions, subscriptions and registrations
        if (topics.get(Match.EXACT).isEmpty() && topics.get(Match.PREFIX).isEmpty()
                && topics.get(Match.WILDCARD).isEmpty()) {
            return;
        }
        deliver(null, 0, topic, Map.of(), args, Map.of(),
                ThreadLocalRandom.current().nextLong(1, MAX_ID + 1));
    }

    // ---- dealer

    /**
     * Registers a procedure; a shared registration needs the same policy from every callee.
     *
     * @throws WampError {@code wamp.error.procedure_already_exists} or an invalid URI/option
     */
    public synchronized long register(Session s, Object procedure, Map<String, Object> options) {
        Match match = Match.fromWire(options.get("match"));
        InvokePolicy invoke = InvokePolicy.fromWire(options.get("invoke"));
        String uri = Uris.checkPattern(procedure, match, "procedure");
        Uris.checkNotReserved(uri, "procedure");
        RegistrationEntry e = procedures.get(match).get(uri);
        boolean created = false;
        if (e == null) {
            e = new RegistrationEntry(stableId("registration", match, uri, registrationsById),
                    uri, match, invoke, Instant.now());
            procedures.get(match).put(uri, e);
            registrationsById.put(e.id, e);
            created = true;
        } else if (e.callees.contains(s)) {
            throw WampError.of("wamp.error.procedure_already_exists",
                    "this session already registered " + uri);
        } else if (e.invoke == InvokePolicy.SINGLE || e.invoke != invoke) {
            throw WampError.of("wamp.error.procedure_already_exists", uri + " is registered"
                    + " with invocation policy " + e.invoke.wireName() + "; to share it, every"
                    + " callee must register with the same policy other than single");
        }
        addCallee(e, s, core.nextOrderKey(), created);
        localChanged(s);
        return e.id;
    }

    private void addCallee(RegistrationEntry e, Session s, long orderKey, boolean created) {
        e.add(s, orderKey);
        s.registrations.add(e);
        if (created) {
            metaEvent("wamp.registration.on_create", List.of(s.id(), e.describe()));
        }
        metaEvent("wamp.registration.on_register", List.of(s.id(), e.id));
    }

    /**
     * Unregisters a procedure of a session.
     *
     * @throws WampError {@code wamp.error.no_such_registration}
     */
    public synchronized void unregister(Session s, long registrationId) {
        RegistrationEntry e = registrationsById.get(registrationId);
        if (e == null || !e.callees.contains(s)) {
            throw WampError.of("wamp.error.no_such_registration", "session " + s.id()
                    + " has no registration " + registrationId);
        }
        dropCallee(s, e);
    }

    private void dropCallee(Session s, RegistrationEntry e) {
        e.remove(s);
        s.registrations.remove(e);
        metaEvent("wamp.registration.on_unregister", List.of(s.id(), e.id));
        if (e.callees.isEmpty()) {
            procedures.get(e.match).remove(e.uri);
            registrationsById.remove(e.id);
            metaEvent("wamp.registration.on_delete", List.of(s.id(), e.id));
        }
        localChanged(s);
    }

    /** The registration a call of this URI goes to: exact, then longest prefix, then wildcard. */
    RegistrationEntry route(String uri) {
        RegistrationEntry best = procedures.get(Match.EXACT).get(uri);
        if (best != null) {
            return best;
        }
        for (RegistrationEntry e : procedures.get(Match.PREFIX).values()) {
            if (uri.startsWith(e.uri) && (best == null || e.uri.length() > best.uri.length())) {
                best = e;
            }
        }
        if (best != null) {
            return best;
        }
        for (RegistrationEntry e : procedures.get(Match.WILDCARD).values()) {
            if (Uris.wildcardMatches(e.uri, uri)
                    && (best == null || Uris.specificity(e.uri) > Uris.specificity(best.uri))) {
                best = e;
            }
        }
        return best;
    }

    /**
     * Routes a call; the answer reaches the caller's peer as a result or a call error.
     * Never throws for bad input: that is answered through the peer too.
     */
    public synchronized void call(Session caller, long requestId, Object procedure,
            Map<String, Object> options, List<Object> args, Map<String, Object> kwargs) {
        boolean routed = false;
        try {
            String uri = Uris.checkConcrete(procedure, "procedure");
            if (uri.startsWith("wamp.")) {
                List<Object> result = meta.call(caller, requestId, uri, args, kwargs);
                if (result != null) {
                    caller.peer().result(requestId, Map.of(), result, Map.of());
                }
                return;
            }
            routed = true;
            RegistrationEntry e = route(uri);
            if (e == null) {
                throw WampError.of("wamp.error.no_such_procedure", "no callee registered "
                        + uri + "; register it first, or check the name");
            }
            CallKey key = new CallKey(caller, requestId);
            if (calls.containsKey(key)) {
                throw WampError.of("wamp.error.protocol_violation",
                        "request id " + requestId + " is already in flight");
            }
            long timeoutMs = Options.millis(options.get("timeout"), "timeout");
            Session callee = e.pick();
            long invocationId = nextId++;
            Map<String, Object> details = new LinkedHashMap<>();
            if (e.match != Match.EXACT) {
                details.put("procedure", uri);
            }
            if (Boolean.TRUE.equals(options.get("disclose_me"))) {
                details.put("caller", caller.id());
            }
            boolean progress = Boolean.TRUE.equals(options.get("receive_progress"));
            if (progress) {
                details.put("receive_progress", true);
            }
            PendingCall p = new PendingCall(invocationId, caller, requestId, callee, uri,
                    progress);
            invocations.put(invocationId, p);
            calls.put(key, p);
            if (timeoutMs > 0) {
                p.timeout = core.timer().schedule(() -> timeout(p), timeoutMs,
                        TimeUnit.MILLISECONDS);
            }
            callee.peer().invocation(invocationId, e.id, details, args, kwargs);
        } catch (WampError err) {
            if (routed && !caller.relay) {
                core.metrics().callEnded(err.uri().equals("wamp.error.no_such_procedure")
                        ? RouterMetrics.Outcomes.NO_SUCH_PROCEDURE
                        : RouterMetrics.Outcomes.REFUSED, -1);
            }
            caller.peer().callError(requestId, err);
        }
    }

    /** A callee's answer; a late or foreign one (after skip, timeout) is ignored, as in WAMP. */
    public synchronized void yield(Session callee, long invocationId, Map<String, Object> options,
            List<Object> args, Map<String, Object> kwargs) {
        PendingCall p = invocations.get(invocationId);
        if (p == null || p.callee != callee) {
            return;
        }
        if (Boolean.TRUE.equals(options.get("progress"))) {
            if (p.receiveProgress) {
                p.caller.peer().result(p.callerRequestId, Map.of("progress", true), args, kwargs);
            }
            return;
        }
        forget(p);
        ended(p, RouterMetrics.Outcomes.SUCCESS);
        p.caller.peer().result(p.callerRequestId, Map.of(), args, kwargs);
    }

    /** A callee's error answer. */
    public synchronized void invocationError(Session callee, long invocationId, WampError error) {
        PendingCall p = invocations.get(invocationId);
        if (p == null || p.callee != callee) {
            return;
        }
        forget(p);
        ended(p, RouterMetrics.Outcomes.of(error.uri()));
        p.caller.peer().callError(p.callerRequestId, error);
    }

    /** A caller cancels a call in flight; unknown ids are ignored (the answer may be coming). */
    public synchronized void cancel(Session caller, long requestId, Map<String, Object> options) {
        PendingCall p = calls.get(new CallKey(caller, requestId));
        if (p == null) {
            return;
        }
        CancelMode mode = CancelMode.fromWire(options.get("mode"));
        if (mode == CancelMode.KILL && !p.callee.peer().canInterrupt()) {
            mode = CancelMode.SKIP;
        }
        if (mode != CancelMode.SKIP) {
            p.callee.peer().interrupt(p.invocationId, mode);
        }
        if (mode != CancelMode.KILL) {
            forget(p);
            ended(p, RouterMetrics.Outcomes.CANCELED);
            caller.peer().callError(requestId, WampError.of("wamp.error.canceled",
                    "the call of " + p.procedure + " was canceled (" + mode.wireName() + ")"));
        }
    }

    private synchronized void timeout(PendingCall p) {
        if (invocations.get(p.invocationId) != p) {
            return;
        }
        forget(p);
        ended(p, RouterMetrics.Outcomes.TIMEOUT);
        if (p.callee.peer().canInterrupt()) {
            p.callee.peer().interrupt(p.invocationId, CancelMode.KILLNOWAIT);
        }
        p.caller.peer().callError(p.callerRequestId, WampError.of("wamp.error.timeout",
                p.procedure + " did not answer within the call's timeout"));
    }

    private void forget(PendingCall p) {
        invocations.remove(p.invocationId);
        calls.remove(new CallKey(p.caller, p.callerRequestId));
        if (p.timeout != null) {
            p.timeout.cancel(false);
        }
    }

    /**
     * The id of the subscription or registration of this URI and match policy: the same on
     * every node of a cluster, so meta procedures and events name it alike everywhere
     * (docs/cluster.md). It is drawn from SHA-256 of the kind, policy and URI into [1, 2^53];
     * two URIs of one table that draw the same id (odds about n^2 / 2^54) are told apart by
     * taking the next free id, and only then may nodes disagree on the later one's id.
     */
    static long stableId(String kind, Match match, String uri, Map<Long, ?> taken) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(
                    (kind + ' ' + match.wireName() + ' ' + uri)
                            .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (digest[i] & 0xff);
        }
        long id = (h >>> 11) % MAX_ID + 1;
        while (taken.containsKey(id)) {
            id = id % MAX_ID + 1;
        }
        return id;
    }

    /** Counts a routed call of this node's session that ended (a relay's: its node counts). */
    private void ended(PendingCall p, String outcome) {
        if (!p.caller.relay) {
            core.metrics().callEnded(outcome, System.nanoTime() - p.startNanos);
        }
    }

    synchronized long sessionCount(String transport) {
        long n = 0;
        for (Session s : sessions.values()) {
            if (s.transport.equals(transport)) {
                n++;
            }
        }
        return n;
    }

    synchronized int subscriptionCount() {
        return subscriptionsById.size();
    }

    synchronized int registrationCount() {
        return registrationsById.size();
    }

    synchronized int pendingCalls() {
        return invocations.size();
    }

    // ---- the cluster: stand-ins for other nodes' sessions, calls that cross nodes

    /**
     * Joins a stand-in for a session of another node (meta API and routing see it like any
     * other); null if the id is taken.
     */
    synchronized Session joinRemote(long id, Map<String, Object> details, Peer peer,
            String node) {
        if (sessions.containsKey(id)) {
            return null;
        }
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.remove("session");
        d.remove("dropped_events");
        d.put("node", node);
        Session s = new Session(id, this, peer, d, node, false);
        sessions.put(id, s);
        metaEvent("wamp.session.on_join", List.of(s.details()));
        return s;
    }

    /**
     * Adds another node's callee. A conflict (a {@code single} registration, or another policy)
     * is settled the same way on every node: the older registration (order key, then session
     * id) stays; when it is the newcomer, every callee of the entry here is removed, and this
     * node's own are told (UNREGISTERED, {@code wamp.error.procedure_already_exists}).
     *
     * @return false if the newcomer lost and was not added
     */
    synchronized boolean registerRemote(Session proxy, String uri, Match match,
            InvokePolicy invoke, long orderKey) {
        if (!proxy.open) {
            return false;
        }
        RegistrationEntry e = procedures.get(match).get(uri);
        if (e != null && e.callees.contains(proxy)) {
            return true;
        }
        if (e != null && (e.invoke == InvokePolicy.SINGLE || e.invoke != invoke)) {
            if (!e.olderThanAll(orderKey, proxy)) {
                log.warn("{} registered {} while {} held it ({}); the older one stays", proxy,
                        uri, e.callees.get(0), e.invoke.wireName());
                return false;
            }
            for (Session loser : new ArrayList<>(e.callees)) {
                log.warn("{} loses {} to the older registration of {}", loser, uri, proxy);
                dropCallee(loser, e);
                if (loser.local()) {
                    loser.peer().registrationRevoked(e.id, "wamp.error.procedure_already_exists");
                }
            }
            e = null;
        }
        boolean created = false;
        if (e == null) {
            e = new RegistrationEntry(stableId("registration", match, uri, registrationsById),
                    uri, match, invoke, Instant.now());
            procedures.get(match).put(uri, e);
            registrationsById.put(e.id, e);
            created = true;
        }
        addCallee(e, proxy, orderKey, created);
        return true;
    }

    /** Removes another node's callee from a registration. */
    synchronized void unregisterRemote(Session proxy, String uri, Match match) {
        RegistrationEntry e = procedures.get(match).get(uri);
        if (e != null && e.callees.contains(proxy)) {
            dropCallee(proxy, e);
        }
    }

    /**
     * Runs, on this node, an invocation another node routed to one of this node's callees;
     * the answer goes back through the relay.
     */
    synchronized void invokeFor(Session relay, long relayRequestId, long calleeId, String uri,
            Match match, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        Session callee = sessions.get(calleeId);
        RegistrationEntry e = procedures.get(match).get(uri);
        if (callee == null || !callee.local() || e == null || !e.callees.contains(callee)) {
            relay.peer().callError(relayRequestId, WampError.of("wamp.error.canceled",
                    "callee disconnected from in-flight request (session " + calleeId
                    + " no longer serves " + uri + ")"));
            return;
        }
        long invocationId = nextId++;
        boolean progress = Boolean.TRUE.equals(details.get("receive_progress"));
        PendingCall p = new PendingCall(invocationId, relay, relayRequestId, callee,
                String.valueOf(details.getOrDefault("procedure", uri)), progress);
        invocations.put(invocationId, p);
        calls.put(new CallKey(relay, relayRequestId), p);
        callee.peer().invocation(invocationId, e.id, details, args, kwargs);
    }

    /** The session a pending invocation went to, if it is still pending. */
    synchronized Session calleeOf(long invocationId) {
        PendingCall p = invocations.get(invocationId);
        return p == null ? null : p.callee;
    }

    /** Returns the state this node shares: its sessions and its callees' registrations. */
    synchronized List<Object> localState() {
        List<Object> ss = new ArrayList<>();
        for (Session s : sessions.values()) {
            if (s.local()) {
                ss.add(List.of(s.id(), s.rawDetails()));
            }
        }
        List<Object> rs = new ArrayList<>();
        for (RegistrationEntry e : registrationsById.values()) {
            for (Session c : e.callees) {
                if (c.local()) {
                    rs.add(List.of(c.id(), e.uri, e.match.wireName(), e.invoke.wireName(),
                            e.orderKey(c)));
                }
            }
        }
        List<Object> subs = new ArrayList<>();
        for (SubscriptionEntry e : subscriptionsById.values()) {
            for (Session c : e.subscribers) {
                if (c.local()) {
                    subs.add(List.of(c.id(), e.uri, e.match.wireName()));
                }
            }
        }
        return List.of(name, ss, rs, subs);
    }

    /** Adds another node's subscriber to this node's tables (for the meta API only). */
    synchronized void subscribeRemote(Session proxy, String uri, Match match) {
        if (proxy.open) {
            addSubscriber(proxy, uri, match);
        }
    }

    /** Removes another node's subscriber from this node's tables. */
    synchronized void unsubscribeRemote(Session proxy, String uri, Match match) {
        SubscriptionEntry e = topics.get(match).get(uri);
        if (e != null && e.subscribers.contains(proxy)) {
            dropSubscriber(proxy, e);
        }
    }

    // ---- views for the meta API (called with the lock held)

    Map<Match, Map<String, SubscriptionEntry>> topics() {
        return topics;
    }

    Map<Long, SubscriptionEntry> subscriptionsById() {
        return subscriptionsById;
    }

    Map<Match, Map<String, RegistrationEntry>> procedures() {
        return procedures;
    }

    Map<Long, RegistrationEntry> registrationsById() {
        return registrationsById;
    }

    Map<Long, Session> sessionsById() {
        return sessions;
    }

    private record CallKey(Session caller, long requestId) {
    }

    private static final class PendingCall {
        final long invocationId;
        final Session caller;
        final long callerRequestId;
        final Session callee;
        final String procedure;
        final boolean receiveProgress;
        final long startNanos = System.nanoTime();
        ScheduledFuture<?> timeout; // guarded by the realm

        PendingCall(long invocationId, Session caller, long callerRequestId, Session callee,
                String procedure, boolean receiveProgress) {
            this.invocationId = invocationId;
            this.caller = caller;
            this.callerRequestId = callerRequestId;
            this.callee = callee;
            this.procedure = procedure;
            this.receiveProgress = receiveProgress;
        }
    }
}
