package dev.jpb.internal.router;

import dev.jpb.router.InvokePolicy;
import dev.jpb.router.Match;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** One registration: a procedure pattern and its callees in registration order. */
final class RegistrationEntry {
    final long id;
    final String uri;
    final Match match;
    final InvokePolicy invoke;
    final Instant created;
    /** Ordered by registration time (the order key), so first and last agree cluster-wide. */
    final List<Session> callees = new ArrayList<>(); // guarded by the realm's lock
    private final Map<Session, Long> orderKeys = new HashMap<>(); // guarded by the realm's lock
    private int next; // guarded by the realm's lock

    RegistrationEntry(long id, String uri, Match match, InvokePolicy invoke, Instant created) {
        this.id = id;
        this.uri = uri;
        this.match = match;
        this.invoke = invoke;
        this.created = created;
    }

    /** Picks the callee for one invocation by the registration's policy. */
    Session pick() {
        switch (invoke) {
            case SINGLE:
            case FIRST:
                return callees.get(0);
            case LAST:
                return callees.get(callees.size() - 1);
            case RANDOM:
                return callees.get(ThreadLocalRandom.current().nextInt(callees.size()));
            case ROUNDROBIN:
                if (next >= callees.size()) {
                    next = 0;
                }
                return callees.get(next++);
            default:
                throw new AssertionError(invoke);
        }
    }

    /** Adds a callee at its place in registration order (order key, then session id). */
    void add(Session callee, long orderKey) {
        int i = callees.size();
        while (i > 0 && before(orderKey, callee, callees.get(i - 1))) {
            i--;
        }
        callees.add(i, callee);
        orderKeys.put(callee, orderKey);
        if (i < next) {
            next++;
        }
    }

    private boolean before(long key, Session s, Session other) {
        long k = orderKeys.get(other);
        return key < k || (key == k && s.id() < other.id());
    }

    /** Whether a callee with this key would come before every callee registered now. */
    boolean olderThanAll(long orderKey, Session callee) {
        return callees.isEmpty() || before(orderKey, callee, callees.get(0));
    }

    long orderKey(Session callee) {
        return orderKeys.get(callee);
    }

    void remove(Session callee) {
        orderKeys.remove(callee);
        int i = callees.indexOf(callee);
        if (i >= 0) {
            callees.remove(i);
            if (i < next) {
                next--;
            }
        }
    }

    /** WAMP's registration details: id, created, uri, match, invoke. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("created", created.toString());
        d.put("uri", uri);
        d.put("match", match.wireName());
        d.put("invoke", invoke.wireName());
        return d;
    }
}
