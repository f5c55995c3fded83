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
    final Set<Session> subscribers = new LinkedHashSet<>();

    SubscriptionEntry(long id, String uri, Match match, Instant created) {
        this.id = id;
        this.uri = uri;
        this.match = match;
        this.created = created;
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
