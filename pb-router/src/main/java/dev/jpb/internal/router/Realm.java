package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.InvokePolicy;
import dev.jpb.router.Match;
import dev.jpb.router.WampError;
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
    private final Map<Match, Map<String, RegistrationEntry>> procedures =
            new EnumMap<>(Match.class);
    private final Map<Long, RegistrationEntry> registrationsById = new HashMap<>();
    private final Map<Long, PendingCall> invocations = new HashMap<>();
    private final Map<CallKey, PendingCall> calls = new HashMap<>();
    private long nextId = 1;

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
        metaEvent("wamp.session.on_join", List.of(s.details()));
        return s;
    }

    /** Removes a session: its subscriptions, registrations and calls in flight. Idempotent. */
    public synchronized void leave(Session s) {
        if (!s.open) {
            return;
        }
        s.open = false;
        sessions.remove(s.id());
        for (SubscriptionEntry e : new ArrayList<>(s.subscriptions)) {
            dropSubscriber(s, e);
        }
        for (RegistrationEntry e : new ArrayList<>(s.registrations)) {
            dropCallee(s, e);
        }
        for (PendingCall p : new ArrayList<>(invocations.values())) {
            if (p.callee == s) {
                forget(p);
                p.caller.peer().callError(p.callerRequestId, new WampError(
                        "wamp.error.canceled", List.of("callee disconnected from in-flight request"
                        + " (session " + s.id() + " left while running " + p.procedure + ")"),
                        Map.of()));
            } else if (p.caller == s) {
                forget(p);
                if (p.callee.peer().canInterrupt()) {
                    p.callee.peer().interrupt(p.invocationId, CancelMode.KILLNOWAIT);
                }
            }
        }
        metaEvent("wamp.session.on_leave", List.of(s.id()));
    }

    /** Ends a session from the router's side: the peer is told, then the session leaves. */
    public void kill(Session s, String reasonUri, String message) {
        s.peer().kill(reasonUri, message);
        leave(s);
    }

    /**
     * An admin removes one subscriber from a subscription; the subscriber is told (WAMP's
     * UNSUBSCRIBED with request 0). Realm lock held (called from the meta API).
     *
     * @throws WampError {@code wamp.error.no_such_subscription} or {@code no_such_session}
     */
    void removeSubscriber(long subscriptionId, long sessionId, String reason) {
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
        dropSubscriber(s, e);
        s.peer().subscriptionRevoked(e.id, reason);
    }

    /**
     * An admin removes one callee from a registration; the callee is told (UNREGISTERED with
     * request 0). Invocations it is running still answer their callers. Realm lock held.
     *
     * @throws WampError {@code wamp.error.no_such_registration} or {@code no_such_session}
     */
    void removeCallee(long registrationId, long sessionId, String reason) {
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
        dropCallee(s, e);
        s.peer().registrationRevoked(e.id, reason);
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
        SubscriptionEntry e = topics.get(match).get(uri);
        boolean created = false;
        if (e == null) {
            e = new SubscriptionEntry(nextId++, uri, match, Instant.now());
            topics.get(match).put(uri, e);
            subscriptionsById.put(e.id, e);
            created = true;
        }
        boolean added = e.subscribers.add(s);
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
    }

    private void dropSubscriber(Session s, SubscriptionEntry e) {
        e.subscribers.remove(s);
        s.subscriptions.remove(e);
        boolean metaOk = !e.uri.startsWith("wamp.");
        if (metaOk) {
            metaEvent("wamp.subscription.on_unsubscribe", List.of(s.id(), e.id));
        }
        if (e.subscribers.isEmpty()) {
            topics.get(e.match).remove(e.uri);
            subscriptionsById.remove(e.id);
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
        return deliver(publisher, uri, options, args, kwargs);
    }

    private long deliver(Session publisher, String uri, Map<String, Object> options,
            List<Object> args, Map<String, Object> kwargs) {
        long publicationId = ThreadLocalRandom.current().nextLong(1, MAX_ID + 1);
        boolean excludeMe = !Boolean.FALSE.equals(options.get("exclude_me"));
        Set<Long> exclude = Options.ids(options.get("exclude"), "exclude");
        Set<Long> eligible = Options.ids(options.get("eligible"), "eligible");
        boolean disclose = Boolean.TRUE.equals(options.get("disclose_me"));
        for (SubscriptionEntry e : matchingSubscriptions(uri)) {
            Map<String, Object> details = new LinkedHashMap<>();
            if (e.match != Match.EXACT) {
                details.put("topic", uri);
            }
            if (disclose && publisher != null) {
                details.put("publisher", publisher.id());
            }
            for (Session s : new ArrayList<>(e.subscribers)) {
                if (!s.open || (s == publisher && excludeMe)
                        || (exclude != null && exclude.contains(s.id()))
                        || (eligible != null && !eligible.contains(s.id()))) {
                    continue;
                }
                if (!s.peer().event(e.id, publicationId, details, args, kwargs)) {
                    slowSubscriber(s);
                }
            }
        }
        return publicationId;
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

    List<SubscriptionEntry> matchingSubscriptions(String uri) {
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
        if (topics.get(Match.EXACT).isEmpty() && topics.get(Match.PREFIX).isEmpty()
                && topics.get(Match.WILDCARD).isEmpty()) {
            return;
        }
        deliver(null, topic, Map.of(), args, Map.of());
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
            e = new RegistrationEntry(nextId++, uri, match, invoke, Instant.now());
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
        e.callees.add(s);
        s.registrations.add(e);
        if (created) {
            metaEvent("wamp.registration.on_create", List.of(s.id(), e.describe()));
        }
        metaEvent("wamp.registration.on_register", List.of(s.id(), e.id));
        return e.id;
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
        try {
            String uri = Uris.checkConcrete(procedure, "procedure");
            if (uri.startsWith("wamp.")) {
                caller.peer().result(requestId, Map.of(), meta.call(caller, uri, args, kwargs),
                        Map.of());
                return;
            }
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
        p.caller.peer().result(p.callerRequestId, Map.of(), args, kwargs);
    }

    /** A callee's error answer. */
    public synchronized void invocationError(Session callee, long invocationId, WampError error) {
        PendingCall p = invocations.get(invocationId);
        if (p == null || p.callee != callee) {
            return;
        }
        forget(p);
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
            caller.peer().callError(requestId, WampError.of("wamp.error.canceled",
                    "the call of " + p.procedure + " was canceled (" + mode.wireName() + ")"));
        }
    }

    private synchronized void timeout(PendingCall p) {
        if (invocations.get(p.invocationId) != p) {
            return;
        }
        forget(p);
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

    synchronized int pendingCalls() {
        return invocations.size();
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
