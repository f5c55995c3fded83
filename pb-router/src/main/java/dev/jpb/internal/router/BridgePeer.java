package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.CallResult;
import dev.jpb.router.WampError;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The HTTP bridge's one session in a realm: it publishes and calls for HTTP requests. */
final class BridgePeer implements Peer {
    private final Map<Long, CompletableFuture<CallResult>> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextRequest = new AtomicLong(1);
    private final Realm realm;
    private volatile Session session; // created on first use, replaced if killed

    BridgePeer(Realm realm) {
        this.realm = realm;
    }

    synchronized Session session() {
        Session s = session;
        if (s == null || !s.open) {
            s = realm.join(this, Map.of("authid", "http-bridge", "authrole", "bridge",
                    "authmethod", "anonymous", "authprovider", "static",
                    "transport", Map.of("type", "http")));
            session = s;
        }
        return s;
    }

    CompletableFuture<CallResult> call(String procedure, List<Object> args,
            Map<String, Object> kwargs, Map<String, Object> options) {
        long id = nextRequest.getAndIncrement();
        CompletableFuture<CallResult> f = new CompletableFuture<>();
        calls.put(id, f);
        realm.call(session(), id, procedure, options, args, kwargs);
        return f;
    }

    @Override
    public boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        return true; // the bridge never subscribes
    }

    @Override
    public void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs) {
        realm.invocationError(session, requestId, WampError.of("wamp.error.no_such_procedure",
                "the HTTP bridge registers nothing"));
    }

    @Override
    public boolean canInterrupt() {
        return false;
    }

    @Override
    public void interrupt(long requestId, CancelMode mode) {
    }

    @Override
    public void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs) {
        if (Boolean.TRUE.equals(details.get("progress"))) {
            return;
        }
        CompletableFuture<CallResult> f = calls.remove(requestId);
        if (f != null) {
            f.complete(new CallResult(args, kwargs));
        }
    }

    @Override
    public void callError(long requestId, WampError error) {
        CompletableFuture<CallResult> f = calls.remove(requestId);
        if (f != null) {
            f.completeExceptionally(error);
        }
    }

    @Override
    public void kill(String reasonUri, String message) {
        for (CompletableFuture<CallResult> f : calls.values()) {
            f.completeExceptionally(WampError.of("wamp.error.canceled", message));
        }
        calls.clear();
    }
}
