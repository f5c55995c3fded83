package dev.jpb.internal.router;

import dev.jpb.router.Match;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** One subscription: a topic pattern and its subscribers. Guarded by the realm's lock. */
final class SubscriptionEntry {
    final long id;
    final String uri;
    final Match match;
    final Instant created;
    /** Change it through {@link #add} and {@link #remove} only (they renew the snapshot). */
    final Set<Session> subscribers = new LinkedHashSet<>();
    private Session[] snapshot; // the subscribers as an array, or null after a change

    SubscriptionEntry(long id, String uri, Match match, Instant created) {
        this.id = id;
        this.uri = uri;
        this.match = match;
        this.created = created;
    }

    boolean add(Session s) {
        snapshot = null;
        return subscribers.add(s);
    }

    boolean remove(Session s) {
        snapshot = null;
        return subscribers.remove(s);
    }

    /**
     * The subscribers as an array that later changes leave alone (delivering may disconnect a
     * slow subscriber); made again only after a change, not per publication.
     */
    Session[] snapshot() {
        Session[] a = snapshot;
        if (a == null) {
            a = subscribers.toArray(new Session[0]);
            snapshot = a;
        }
        return a;
    }

    /** WAMP's subscription details: id, created, uri, match. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", id);
        d.put("created", created.toString());
        d.put("uri", uri);
        d.put("match", match.wireName());
        return d;
    }
}
