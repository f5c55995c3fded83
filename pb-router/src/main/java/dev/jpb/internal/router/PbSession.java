package dev.jpb.internal.router;

import dev.jpb.Connection;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.broker.SharedCall;
import dev.jpb.router.CancelMode;
import dev.jpb.router.WampError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One jpb client's session: the object {@code remote_join} hands out, and the {@link Peer}
 * that turns events and invocations into PB calls on the client's subscriber and callee
 * references.
 */
final class PbSession extends Referenceable implements Peer {
    /** At most one event in this many asks for an answer (fewer with a small queue). */
    static final int ASK_EVERY = 32;
    private final Realm realm;
    private final Connection connection;
    private final int maxQueuedEvents;
    private volatile Session session; // written once before publication
    private final Map<Long, List<RemoteReference>> subscribers = new ConcurrentHashMap<>();
    private final Map<Long, RemoteReference> callees = new ConcurrentHashMap<>();
    private final Map<Long, RemoteReference> running = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Map<String, Object>>> calls =
            new ConcurrentHashMap<>();
    /**
     * The subscriber's bounded queue: events sent to this client ({@code sentEvents}, written
     * under the realm's lock) less those it has read ({@code readEvents}). Events go one-way;
     * one in {@code askEvery} asks for an answer, and that answer proves the client read every
     * event before it off the connection (one connection delivers in order): so the router
     * holds at most {@code maxQueuedEvents} of this client's events, without an answer frame
     * per event coming back. {@code askEvery <= maxQueuedEvents}, so a full queue always has
     * an asking event in flight and drains when the client reads.
     */
    private final int askEvery;
    private long sentEvents; // guarded by the realm's lock
    private long askedAt; // guarded by the realm's lock: sentEvents when the last ask went
    private final AtomicLong readEvents = new AtomicLong();

    PbSession(Realm realm, Connection connection, int maxQueuedEvents) {
        this.realm = realm;
        this.connection = connection;
        this.maxQueuedEvents = maxQueuedEvents;
        this.askEvery = Math.max(1, Math.min(ASK_EVERY, maxQueuedEvents / 2));
    }

    void attach(Session s) {
        this.session = s;
    }

    // ---- called by the client

    public long remote_id() {
        return session.id();
    }

    public long remote_subscribe(String topic, Map<String, Object> options,
            RemoteReference subscriber) {
        synchronized (subscribers) {
            long id = realm.subscribe(session, topic, nonNull(options));
            subscribers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(subscriber);
            return id;
        }
    }

    public void remote_unsubscribe(long subscriptionId, RemoteReference subscriber) {
        synchronized (subscribers) {
            List<RemoteReference> refs = subscribers.get(subscriptionId);
            if (refs == null || !refs.remove(subscriber)) {
                throw WampError.of("wamp.error.no_such_subscription",
                        "no subscription " + subscriptionId + " for that subscriber");
            }
            if (refs.isEmpty()) {
                subscribers.remove(subscriptionId);
                realm.unsubscribe(session, subscriptionId);
            }
        }
    }

    public Long remote_publish(String topic, List<Object> args, Map<String, Object> kwargs,
            Map<String, Object> options) {
        long id = realm.publish(session, topic, nonNull(options), nonNull(args),
                nonNull(kwargs));
        return id;
    }

    public long remote_register(String procedure, Map<String, Object> options,
            RemoteReference callee) {
        synchronized (callees) {
            long id = realm.register(session, procedure, nonNull(options));
            callees.put(id, callee);
            return id;
        }
    }

    public void remote_unregister(long registrationId) {
        synchronized (callees) {
            realm.unregister(session, registrationId);
            callees.remove(registrationId);
        }
    }

    public CompletionStage<Map<String, Object>> remote_call(long requestId, String procedure,
            List<Object> args, Map<String, Object> kwargs, Map<String, Object> options) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        if (calls.putIfAbsent(requestId, answer) != null) {
            throw WampError.of("wamp.error.protocol_violation",
                    "request id " + requestId + " is already in flight");
        }
        Map<String, Object> opts = new LinkedHashMap<>(nonNull(options));
        opts.remove("receive_progress"); // jpb callers get the final result only
        realm.call(session, requestId, procedure, opts, nonNull(args), nonNull(kwargs));
        return answer;
    }

    public void remote_cancel(long requestId, String mode) {
        realm.cancel(session, requestId, mode == null ? Map.of() : Map.of("mode", mode));
    }

    public void remote_leave() {
        realm.leave(session);
    }

    // ---- Peer: called by the realm with its lock held

    @Override
    public boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        List<RemoteReference> refs = subscribers.get(subscriptionId);
        if (refs == null) {
            return true;
        }
        SharedCall call = realm.jpbEvent(details, args, kwargs, subscriptionId, publicationId);
        boolean delivered = true;
        for (RemoteReference ref : refs) {
            if (sentEvents - readEvents.get() >= maxQueuedEvents) {
                delivered = false;
                continue;
            }
            long seq = ++sentEvents;
            if (seq - askedAt >= askEvery) {
                askedAt = seq;
                call.send(ref).whenComplete((r, e) -> readUpTo(seq));
            } else if (!call.sendOnly(ref)) {
                sentEvents--; // not sent: the connection is closed or not reading
                delivered = false;
            }
        }
        return delivered;
    }

    /** The client answered event {@code seq} (or the connection failed it). */
    private void readUpTo(long seq) {
        readEvents.accumulateAndGet(seq, Math::max);
    }

    @Override
    public void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        RemoteReference callee = callees.get(registrationId);
        if (callee == null) {
            realm.invocationError(session, requestId, WampError.of("wamp.error.no_such_procedure",
                    "the callee unregistered"));
            return;
        }
        running.put(requestId, callee);
        callee.<Object>callRemote("invoke", requestId, details, args, kwargs)
                .whenComplete((result, failure) -> {
                    running.remove(requestId);
                    if (failure == null) {
                        yieldResult(requestId, result);
                    } else {
                        realm.invocationError(session, requestId, toWampError(failure));
                    }
                });
    }

    @SuppressWarnings("unchecked")
    private void yieldResult(long requestId, Object result) {
        List<Object> args;
        Map<String, Object> kwargs = Map.of();
        if (result instanceof Map<?, ?> && ((Map<?, ?>) result).containsKey("args")) {
            Map<String, Object> m = (Map<String, Object>) result;
            args = nonNull((List<Object>) m.get("args"));
            kwargs = nonNull((Map<String, Object>) m.get("kwargs"));
        } else {
            args = new ArrayList<>();
            if (result != null) {
                args.add(result);
            }
        }
        realm.yield(session, requestId, Map.of(), args, kwargs);
    }

    @Override
    public boolean canInterrupt() {
        return true;
    }

    @Override
    public void interrupt(long requestId, CancelMode mode) {
        RemoteReference callee = running.get(requestId);
        if (callee != null) {
            callee.callRemoteOnly("interrupt", requestId, mode.wireName());
        }
    }

    @Override
    public void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        if (Boolean.TRUE.equals(details.get("progress"))) {
            return;
        }
        CompletableFuture<Map<String, Object>> answer = calls.remove(requestId);
        if (answer != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", new ArrayList<>(args));
            m.put("kwargs", new LinkedHashMap<>(kwargs));
            answer.complete(m);
        }
    }

    @Override
    public void callError(long requestId, WampError error) {
        CompletableFuture<Map<String, Object>> answer = calls.remove(requestId);
        if (answer != null) {
            answer.completeExceptionally(error);
        }
    }

    @Override
    public void kill(String reasonUri, String message) {
        connection.close();
    }

    @Override
    public void subscriptionRevoked(long subscriptionId, String reasonUri) {
        subscribers.remove(subscriptionId); // the client is not told: its next event never comes
    }

    @Override
    public void registrationRevoked(long registrationId, String reasonUri) {
        callees.remove(registrationId);
    }

    static WampError toWampError(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof WampError) {
            return (WampError) t;
        }
        if (t instanceof ConnectionLostException || t instanceof DeadReferenceException) {
            return WampError.of("wamp.error.canceled", "callee disconnected from in-flight"
                    + " request");
        }
        if (t instanceof RemoteCallException) {
            RemoteCallException r = (RemoteCallException) t;
            return WampError.of("wamp.error.runtime_error", r.remoteType() + ": "
                    + r.remoteMessage());
        }
        return WampError.of("wamp.error.runtime_error", String.valueOf(t));
    }

    private static <T> List<T> nonNull(List<T> l) {
        return l == null ? new ArrayList<>() : l;
    }

    private static <K, V> Map<K, V> nonNull(Map<K, V> m) {
        return m == null ? new LinkedHashMap<>() : m;
    }
}
