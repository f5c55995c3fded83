package dev.jpb.router;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A jpb client's session on a {@link Router}: subscribe, publish, register and call without
 * writing {@code callRemote} strings.
 *
 * <pre>{@code
 * RouterClient c = RouterClient.connect("127.0.0.1", pbPort, "realm1").join();
 * c.subscribe("com.example.news", e -> System.out.println(e.args())).join();
 * c.register("com.example.add", inv -> (Integer) inv.arg(0) + (Integer) inv.arg(1)).join();
 * int sum = (Integer) c.call("com.example.add", 2, 3).join().single();
 * }</pre>
 *
 * <p>Handlers run on the connection's jpb executor, one at a time per connection; a handler
 * that returns a {@link CompletionStage} frees its turn at once. Thread-safe.
 */
public final class RouterClient implements AutoCloseable {
    private final RemoteReference session;
    private final long sessionId;
    private final PbClient ownedClient; // null when the caller owns the connection
    private final AtomicLong nextRequest = new AtomicLong(1);

    private RouterClient(RemoteReference session, long sessionId, PbClient ownedClient) {
        this.session = session;
        this.sessionId = sessionId;
        this.ownedClient = ownedClient;
    }

    /**
     * Connects to a router's jpb face and joins a realm; {@link #close()} closes the connection.
     *
     * @param host  the host
     * @param port  the router's jpb port
     * @param realm the realm, e.g. {@code realm1}
     * @return a future completed with the joined client
     */
    public static CompletableFuture<RouterClient> connect(String host, int port, String realm) {
        requireNonNull(realm, "realm");
        PbClient client;
        try {
            client = PbClient.builder().register(Router.wireTypes()).connect(host, port);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.getRootObject()
                .thenCompose(root -> join(root, realm, client))
                .whenComplete((c, e) -> {
                    if (e != null) {
                        client.close();
                    }
                });
    }

    /**
     * Joins a realm through a router root you already hold. Your connection must register
     * {@link Router#wireTypes()} for errors to arrive as {@link WampError}.
     *
     * @param root  the router's root ({@link Router#pbRoot()} on the server)
     * @param realm the realm
     * @return a future completed with the joined client; closing it leaves the realm only
     */
    public static CompletableFuture<RouterClient> join(RemoteReference root, String realm) {
        return join(root, realm, null);
    }

    private static CompletableFuture<RouterClient> join(RemoteReference root, String realm,
            PbClient owned) {
        return root.<RemoteReference>callRemote("join", realm)
                .thenCompose(s -> s.<Long>callRemote("id")
                        .thenApply(id -> new RouterClient(s, id, owned)));
    }

    /** {@return this session's WAMP session id} */
    public long sessionId() {
        return sessionId;
    }

    /**
     * Subscribes to a topic (exact match).
     *
     * @param topic   the topic URI
     * @param handler receives each event
     * @return a future completed with the subscription
     */
    public CompletableFuture<Subscription> subscribe(String topic, Consumer<Event> handler) {
        return subscribe(topic, Match.EXACT, handler);
    }

    /**
     * Subscribes to a topic or pattern.
     *
     * @param topic   the topic URI or pattern ({@code com.example.} for prefix,
     *                {@code com..update} for wildcard)
     * @param match   the matching policy
     * @param handler receives each event, once per event however many patterns match
     * @return a future completed with the subscription
     */
    public CompletableFuture<Subscription> subscribe(String topic, Match match,
            Consumer<Event> handler) {
        requireNonNull(topic, "topic");
        requireNonNull(match, "match");
        requireNonNull(handler, "handler");
        Subscriber subscriber = new Subscriber(topic, handler);
        Map<String, Object> options = new LinkedHashMap<>();
        if (match != Match.EXACT) {
            options.put("match", match.wireName());
        }
        return session.<Long>callRemote("subscribe", topic, options, subscriber)
                .thenApply(id -> new Subscription(id, topic,
                        () -> session.<Object>callRemote("unsubscribe", id, subscriber)
                                .thenApply(x -> (Void) null)));
    }

    /**
     * Publishes an acknowledged event with positional arguments.
     *
     * @param topic the topic URI
     * @param args  the payload
     * @return a future completed with the publication id
     */
    public CompletableFuture<Long> publish(String topic, Object... args) {
        return publish(topic, Arrays.asList(args), Map.of(), PublishOptions.defaults());
    }

    /**
     * Publishes an event.
     *
     * @param topic   the topic URI
     * @param args    positional payload (may be empty)
     * @param kwargs  keyword payload (may be empty)
     * @param options exclusion, eligibility, disclosure and acknowledgement
     * @return a future completed with the publication id, or with null at once when not
     *         acknowledged
     */
    public CompletableFuture<Long> publish(String topic, List<?> args, Map<String, ?> kwargs,
            PublishOptions options) {
        requireNonNull(topic, "topic");
        requireNonNull(options, "options");
        List<Object> a = args == null ? new ArrayList<>() : new ArrayList<>(args);
        Map<String, Object> k = kwargs == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(kwargs);
        if (!options.acknowledged()) {
            session.callRemoteOnly("publish", topic, a, k, options.toMap());
            return CompletableFuture.completedFuture(null);
        }
        return session.callRemote("publish", topic, a, k, options.toMap());
    }

    /**
     * Registers a procedure (exact match, single callee).
     *
     * @param procedure the procedure URI
     * @param handler   answers each invocation: a value (the single positional result), a
     *                  {@link CallResult}, or a {@link CompletionStage} of either; a
     *                  {@link WampError} it throws reaches the caller as itself
     * @return a future completed with the registration
     */
    public CompletableFuture<Registration> register(String procedure,
            Function<Invocation, ?> handler) {
        return register(procedure, Match.EXACT, InvokePolicy.SINGLE, handler);
    }

    /**
     * Registers a procedure or pattern, possibly shared with other callees.
     *
     * @param procedure the procedure URI or pattern
     * @param match     the matching policy
     * @param invoke    the invocation policy; every callee of a shared registration must name
     *                  the same one
     * @param handler   answers each invocation (see {@link #register(String, Function)})
     * @return a future completed with the registration
     */
    public CompletableFuture<Registration> register(String procedure, Match match,
            InvokePolicy invoke, Function<Invocation, ?> handler) {
        requireNonNull(procedure, "procedure");
        requireNonNull(handler, "handler");
        Map<String, Object> options = new LinkedHashMap<>();
        if (match != Match.EXACT) {
            options.put("match", match.wireName());
        }
        if (invoke != InvokePolicy.SINGLE) {
            options.put("invoke", invoke.wireName());
        }
        Callee callee = new Callee(procedure, handler);
        return session.<Long>callRemote("register", procedure, options, callee)
                .thenApply(id -> new Registration(id, procedure,
                        () -> session.<Object>callRemote("unregister", id)
                                .thenApply(x -> (Void) null)));
    }

    /**
     * Calls a procedure with positional arguments and default options.
     *
     * @param procedure the procedure URI
     * @param args      the arguments
     * @return a future completed with the result, or failed with a {@link WampError}
     */
    public CompletableFuture<CallResult> call(String procedure, Object... args) {
        return call(procedure, Arrays.asList(args), Map.of(), CallOptions.defaults());
    }

    /**
     * Calls a procedure. Cancelling the returned future cancels the call on the router with
     * {@link CallOptions#cancelMode()}.
     *
     * @param procedure the procedure URI
     * @param args      positional arguments
     * @param kwargs    keyword arguments
     * @param options   timeout, disclosure, cancel mode
     * @return a future completed with the result, or failed with a {@link WampError}
     *         ({@code wamp.error.no_such_procedure}, {@code wamp.error.timeout},
     *         {@code wamp.error.canceled} when the callee left ...)
     */
    @SuppressWarnings("unchecked")
    public CompletableFuture<CallResult> call(String procedure, List<?> args,
            Map<String, ?> kwargs, CallOptions options) {
        requireNonNull(procedure, "procedure");
        requireNonNull(options, "options");
        long requestId = nextRequest.getAndIncrement();
        CompletableFuture<CallResult> result = new CompletableFuture<>();
        session.<Map<String, Object>>callRemote("call", requestId, procedure,
                args == null ? new ArrayList<>() : new ArrayList<>(args),
                kwargs == null ? new LinkedHashMap<>() : new LinkedHashMap<>(kwargs),
                options.toMap())
                .whenComplete((m, e) -> {
                    if (e != null) {
                        result.completeExceptionally(unwrap(e));
                    } else {
                        result.complete(new CallResult((List<Object>) m.get("args"),
                                (Map<String, Object>) m.get("kwargs")));
                    }
                });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                session.callRemoteOnly("cancel", requestId, options.cancelMode().wireName());
            }
        });
        return result;
    }

    /** Leaves the realm; closes the connection too when {@link #connect} opened it. */
    @Override
    public void close() {
        if (session.isConnected()) {
            session.callRemoteOnly("leave");
        }
        if (ownedClient != null) {
            ownedClient.close();
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /** The subscriber reference the router calls for each event. */
    static final class Subscriber extends Referenceable {
        private final String topic;
        private final Consumer<Event> handler;

        Subscriber(String topic, Consumer<Event> handler) {
            this.topic = topic;
            this.handler = handler;
        }

        public void remote_event(Map<String, Object> details, List<Object> args,
                Map<String, Object> kwargs) {
            Object t = details.get("topic");
            Object publisher = details.get("publisher");
            handler.accept(new Event(t == null ? topic : (String) t,
                    args == null ? List.of() : args, kwargs == null ? Map.of() : kwargs,
                    ((Number) details.get("subscription")).longValue(),
                    ((Number) details.get("publication")).longValue(),
                    publisher == null ? OptionalLong.empty()
                            : OptionalLong.of(((Number) publisher).longValue())));
        }
    }

    /** The callee reference the router calls for each invocation. */
    static final class Callee extends Referenceable {
        private final String procedure;
        private final Function<Invocation, ?> handler;
        private final Map<Long, Running> running = new ConcurrentHashMap<>();

        Callee(String procedure, Function<Invocation, ?> handler) {
            this.procedure = procedure;
            this.handler = handler;
        }

        public CompletionStage<Map<String, Object>> remote_invoke(long requestId,
                Map<String, Object> details, List<Object> args, Map<String, Object> kwargs) {
            Object p = details.get("procedure");
            Object caller = details.get("caller");
            Invocation inv = new Invocation(p == null ? procedure : (String) p,
                    args == null ? List.of() : args, kwargs == null ? Map.of() : kwargs,
                    caller == null ? OptionalLong.empty()
                            : OptionalLong.of(((Number) caller).longValue()));
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            running.put(requestId, new Running(inv, answer));
            answer.whenComplete((r, e) -> running.remove(requestId));
            Object out;
            try {
                out = handler.apply(inv);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
                return answer;
            }
            if (out instanceof CompletionStage<?>) {
                CompletionStage<?> stage = (CompletionStage<?>) out;
                inv.interrupted().thenRun(() -> stage.toCompletableFuture().cancel(true));
                stage.whenComplete((v, e) -> {
                    if (e != null) {
                        answer.completeExceptionally(unwrap(e));
                    } else {
                        answer.complete(toWire(v));
                    }
                });
            } else {
                answer.complete(toWire(out));
            }
            return answer;
        }

        public void remote_interrupt(long requestId, String mode) {
            Running r = running.get(requestId);
            if (r != null) {
                // the answer first: completing interrupted() cancels the handler's stage
                r.answer.completeExceptionally(WampError.of("wamp.error.canceled",
                        "the call was interrupted (" + mode + ")"));
                r.invocation.interrupted().complete(CancelMode.fromWire(mode));
            }
        }

        private static Map<String, Object> toWire(Object v) {
            CallResult r = v instanceof CallResult ? (CallResult) v
                    : v == null ? new CallResult(null, null) : CallResult.of(v);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", new ArrayList<>(r.args()));
            m.put("kwargs", new LinkedHashMap<>(r.kwargs()));
            return m;
        }

        private record Running(Invocation invocation,
                CompletableFuture<Map<String, Object>> answer) {
        }
    }
}
