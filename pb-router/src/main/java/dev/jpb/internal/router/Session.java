package dev.jpb.internal.router;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** A session joined to a realm. Tables are guarded by the realm's lock. */
public final class Session {
    private final long id;
    private final Realm realm;
    private final Peer peer;
    private final Map<String, Object> details;
    final Set<SubscriptionEntry> subscriptions = new LinkedHashSet<>(); // guarded by realm
    final Set<RegistrationEntry> registrations = new LinkedHashSet<>(); // guarded by realm
    private final AtomicLong droppedEvents = new AtomicLong();
    boolean open = true; // guarded by realm
    /** The cluster node this session lives on, or null for a session of this node. */
    final String node;
    /** A node's relay for calls from its sessions: in no table, raises no meta event. */
    final boolean relay;
    /** The metrics' transport tag: jpb, wamp, http, remote (a stand-in) or relay. */
    final String transport;

    Session(long id, Realm realm, Peer peer, Map<String, Object> details) {
        this(id, realm, peer, details, null, false);
    }

    Session(long id, Realm realm, Peer peer, Map<String, Object> details, String node,
            boolean relay) {
        this.id = id;
        this.realm = realm;
        this.peer = peer;
        this.details = details;
        this.node = node;
        this.relay = relay;
        this.transport = relay ? "relay" : node != null ? "remote" : transportOf(details);
    }

    private static String transportOf(Map<String, Object> details) {
        Object t = details.get("transport");
        Object type = t instanceof Map<?, ?> ? ((Map<?, ?>) t).get("type") : null;
        if ("websocket".equals(type)) {
            return "wamp";
        }
        return "jpb".equals(type) || "http".equals(type) ? (String) type : "other";
    }

    /** Whether this session is joined to this node (not a stand-in for another node's). */
    boolean local() {
        return node == null;
    }

    /** The details as this node received them, for the cluster's state message. */
    Map<String, Object> rawDetails() {
        return details;
    }

    /** Returns the WAMP session id. */
    public long id() {
        return id;
    }

    /** Returns the realm this session joined. */
    public Realm realm() {
        return realm;
    }

    Peer peer() {
        return peer;
    }

    /** Returns the WAMP session details (session, authid, authrole, transport ...). */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>(details);
        d.put("session", id);
        d.put("dropped_events", droppedEvents.get());
        return d;
    }

    String authrole() {
        return String.valueOf(details.get("authrole"));
    }

    /** Returns how many events the slow-subscriber policy dropped for this session. */
    public long droppedEvents() {
        return droppedEvents.get();
    }

    long countDrop() {
        return droppedEvents.incrementAndGet();
    }

    @Override
    public String toString() {
        return node == null ? "session " + id : "session " + id + " on node " + node;
    }
}
