package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpb.Connection;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.LimitExceededException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.PbError;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaEncoder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Twisted PB connection (PB's {@code Broker}): dialect and version negotiation, the
 * message switch, the export and import tables, pending calls. Netty events arrive on the
 * channel's event loop; unjelly, {@code remote_} methods and future completion run on two
 * serial lanes of the endpoint's executor (calls in arrival order; answers on their own lane,
 * so a method blocked on a nested call still gets its answer). Thread-safe.
 */
public final class TwistedBroker extends ChannelInboundHandlerAdapter implements JellyPeer {
    private static final Logger log = LoggerFactory.getLogger(TwistedBroker.class);
    private static final Cleaner CLEANER = Cleaner.create();
    // Far from pb-core's own counter, so ids stay unique among all connections of a JVM.
    private static final AtomicLong IDS = new AtomicLong(1L << 40);
    /** The PB protocol version Twisted 22.4 speaks. */
    static final int VERSION = 6;

    /** One imported object: how many times it arrived since the proxy was made. */
    private static final class Imported {
        final Object luid;
        final WeakReference<TwistedRemoteReference> proxy;
        int count;       // guarded by the broker
        boolean dead;    // guarded by the broker

        Imported(Object luid, TwistedRemoteReference proxy) {
            this.luid = luid;
            this.proxy = new WeakReference<>(proxy);
        }
    }

    /** One exported object: its luid and how many sends the peer has not yet decref'd. */
    private static final class Exported {
        final long luid;
        final Referenceable object;
        int count; // guarded by the broker

        Exported(long luid, Referenceable object) {
            this.luid = luid;
            this.object = object;
        }
    }

    private final boolean isClient;
    private final Root root; // null on a client
    /** The default of {@code maxImportedReferences}: jpb's own {@code Limits} default. */
    public static final int DEFAULT_MAX_IMPORTS = 100_000;

    private final int maxExports;
    private final int maxImports;
    private final int maxInFlightCalls;
    // Inbound calls queued or running; past maxInFlightCalls the socket is not read.
    private final AtomicInteger inFlightCalls = new AtomicInteger();
    private final Jelly jelly;
    private final CopyRegistry registry;
    private final BananaDecoder decoder;
    private final BananaEncoder encoder;
    private final SerialExecutor calls;
    private final SerialExecutor answers;
    private final long id = IDS.incrementAndGet();
    private final TwistedConnection connection = new TwistedConnection(this);
    private final CompletableFuture<TwistedBroker> ready = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final Map<Integer, AnswerFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger nextRequestId = new AtomicInteger();
    private final BiConsumer<CompletableFuture<Object>, List<?>> completer = this::complete;

    private final Map<Object, Imported> imports = new HashMap<>();            // guarded by this
    private final Map<Referenceable, Exported> exportsByObject = new IdentityHashMap<>(); // this
    private final Map<Long, Exported> exportsByLuid = new HashMap<>();        // guarded by this
    private long nextLuid;                                                     // guarded by this
    private Referenceable rootObject;                                          // guarded by this
    private TwistedRemoteReference peerRoot;                                   // guarded by this
    private boolean open = true;                                               // guarded by this

    private volatile Channel channel;  // written once in channelActive
    private boolean dialectChosen;     // guarded by the event loop

    /**
     * Creates the broker of one channel.
     *
     * @param isClient   whether this side connected (it picks the dialect)
     * @param root       the root served to the peer as {@code "root"}, or {@code null}
     * @param registry   the copy and error types
     * @param maxExports the most objects exported at once
     * @param maxInFlightCalls the most inbound calls queued or running before reading stops
     * @param decoder    the channel's Banana decoder (its dialect is switched here)
     * @param encoder    the channel's Banana encoder
     * @param executor   where user code runs (not owned)
     */
    public TwistedBroker(boolean isClient, Root root, CopyRegistry registry, int maxExports,
            int maxInFlightCalls, BananaDecoder decoder, BananaEncoder encoder,
            Executor executor) {
        this(isClient, root, registry, maxExports, DEFAULT_MAX_IMPORTS, maxInFlightCalls,
                decoder, encoder, executor);
    }

    /**
     * Creates the broker of one channel.
     *
     * @param isClient   whether this side connected (it picks the dialect)
     * @param root       the root served to the peer as {@code "root"}, or {@code null}
     * @param registry   the copy and error types
     * @param maxExports the most objects exported at once
     * @param maxImports the most references to the peer's objects held at once
     * @param maxInFlightCalls the most inbound calls queued or running before reading stops
     * @param decoder    the channel's Banana decoder (its dialect is switched here)
     * @param encoder    the channel's Banana encoder
     * @param executor   where user code runs (not owned)
     */
    public TwistedBroker(boolean isClient, Root root, CopyRegistry registry, int maxExports,
            int maxImports, int maxInFlightCalls, BananaDecoder decoder, BananaEncoder encoder,
            Executor executor) {
        this.isClient = isClient;
        this.root = root;
        this.maxExports = maxExports;
        this.maxImports = maxImports;
        this.maxInFlightCalls = maxInFlightCalls;
        this.jelly = new Jelly(registry, this);
        this.registry = registry;
        this.decoder = decoder;
        this.encoder = encoder;
        this.calls = new SerialExecutor(executor);
        this.answers = new SerialExecutor(executor);
    }

    /** Returns a future completed once the dialect is chosen and calls may be sent. */
    public CompletableFuture<TwistedBroker> ready() {
        return ready;
    }

    /** Returns the user-facing connection. */
    public Connection connection() {
        return connection;
    }

    long id() {
        return id;
    }

    Channel channel() {
        return channel;
    }

    Executor answerExecutor() {
        return answers;
    }

    CompletableFuture<Void> closeFuture() {
        return closed;
    }

    synchronized boolean isOpen() {
        return open;
    }

    /** Returns the reference to the peer's root object (luid {@code "root"}, not counted). */
    public synchronized RemoteReference peerRoot() {
        if (peerRoot == null) {
            peerRoot = new TwistedRemoteReference(this, Luids.ROOT);
        }
        return peerRoot;
    }

    synchronized int exportedCount() {
        return exportsByLuid.size() + (rootObject != null && open ? 1 : 0);
    }

    synchronized int importedCount() {
        int n = peerRoot != null && open ? 1 : 0;
        for (Imported i : imports.values()) {
            if (!i.dead && i.proxy.get() != null) {
                n++;
            }
        }
        return n;
    }

    // ---- Netty events (event loop) --------------------------------------------------------

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (!isClient) {
            ctx.writeAndFlush(List.of(ascii("pb"), ascii("none")));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!dialectChosen) {
            negotiate(ctx, msg);
            return;
        }
        if (!(msg instanceof List<?> list) || list.isEmpty()) {
            protocolError(ctx, "a PB message must be a non-empty list, got "
                    + Values.describe(msg));
            return;
        }
        String command = text(list.get(0));
        switch (command) {
            case "message" -> queueCall(ctx, list);
            case "answer", "error" -> handleReply(list);
            case "decref" -> queueDecref(ctx, list);
            case "version" -> handleVersion(ctx, list);
            case "didNotUnderstand" -> log.warn("Twisted peer {} did not understand {}",
                    ctx.channel().remoteAddress(), list.size() > 1 ? text(list.get(1)) : "?");
            default -> {
                log.warn("Twisted peer {} sent {}, which jpb does not implement",
                        ctx.channel().remoteAddress(), command);
                ctx.writeAndFlush(List.of("didNotUnderstand", ascii(command)));
            }
        }
    }

    /** Queues an inbound call; back-pressure: past the limit, stop reading this socket. */
    private void queueCall(ChannelHandlerContext ctx, List<?> list) {
        if (inFlightCalls.get() == 0 && isNonBlocking(list)) {
            // @NonBlocking and nothing queued or running: run it here, two hand-offs fewer.
            inFlightCalls.incrementAndGet();
            handleMessage(list, () -> callDone(ctx.channel()));
            return;
        }
        if (inFlightCalls.incrementAndGet() >= maxInFlightCalls) {
            ctx.channel().config().setAutoRead(false);
        }
        calls.execute(() -> handleMessage(list, () -> callDone(ctx.channel())));
    }

    /**
     * Queues a decref behind the calls that arrived before it: Twisted drops its proxy right
     * after sending a call through it, and that call must still find its target.
     */
    private void queueDecref(ChannelHandlerContext ctx, List<?> list) {
        inFlightCalls.incrementAndGet();
        calls.execute(() -> {
            try {
                handleDecref(list);
            } finally {
                callDone(ctx.channel());
            }
        });
    }

    /** Whether a message targets a known object's {@code @NonBlocking} method, no keywords. */
    private boolean isNonBlocking(List<?> list) {
        if (list.size() != 7 || !(list.get(5) instanceof List<?> args)
                || !(list.get(6) instanceof List<?> kw) || kw.size() != 1) {
            return false;
        }
        Object target;
        try {
            Object luid = Luids.normalize(list.get(2));
            synchronized (this) {
                // Never make the root here: rootObject(connection) is user code.
                target = Luids.ROOT.equals(luid) ? rootObject
                        : luid instanceof Long l && exportsByLuid.get(l) != null
                                ? exportsByLuid.get(l).object : null;
            }
        } catch (ProtocolException e) {
            return false;
        }
        try {
            return target != null && Dispatch.isNonBlocking(target.getClass(),
                    text(list.get(3)), args.size() - 1);
        } catch (RuntimeException e) {
            return false; // not exportable: the lane answers the error
        }
    }

    private void callDone(Channel ch) {
        if (inFlightCalls.decrementAndGet() == maxInFlightCalls / 2) {
            ch.eventLoop().execute(() -> {
                if (inFlightCalls.get() < maxInFlightCalls) {
                    ch.config().setAutoRead(true);
                }
            });
        }
    }

    private void negotiate(ChannelHandlerContext ctx, Object msg) {
        String chosen = null;
        if (isClient && msg instanceof List<?> offered) {
            for (Object o : offered) {
                String d = o instanceof byte[] || o instanceof String ? text(o) : "";
                if (d.equals("pb") || d.equals("none")) {
                    chosen = d;
                    break;
                }
            }
            if (chosen != null) {
                ctx.write(ascii(chosen));
            }
        } else if (!isClient && (msg instanceof byte[] || msg instanceof String)) {
            String d = text(msg);
            chosen = d.equals("pb") || d.equals("none") ? d : null;
        }
        if (chosen == null) {
            protocolError(ctx, "the peer offered or chose no Banana dialect jpb knows "
                    + "(pb, none): not a Twisted PB peer");
            return;
        }
        dialectChosen = true;
        if (chosen.equals("pb")) {
            decoder.selectPbDialect();
            encoder.selectPbDialect();
        }
        ctx.writeAndFlush(List.of("version", VERSION));
        ready.complete(this);
    }

    private void handleVersion(ChannelHandlerContext ctx, List<?> list) {
        Object v = list.size() > 1 ? list.get(1) : null;
        if (!Integer.valueOf(VERSION).equals(v)) {
            protocolError(ctx, "PB version incompatibility: jpb speaks " + VERSION
                    + ", the peer " + v);
        }
    }

    private void protocolError(ChannelHandlerContext ctx, String why) {
        log.warn("closing Twisted PB connection from {}: {}", ctx.channel().remoteAddress(),
                why);
        ready.completeExceptionally(new ProtocolException(why));
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null
                ? cause.getCause() : cause;
        log.warn("closing Twisted PB connection from {}: {}", ctx.channel().remoteAddress(),
                c.toString());
        ready.completeExceptionally(c);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        List<Imported> dropped;
        synchronized (this) {
            open = false;
            dropped = new ArrayList<>(imports.values());
            imports.clear();
            exportsByLuid.clear();
            exportsByObject.clear();
            for (Imported i : dropped) {
                i.dead = true;
            }
        }
        ready.completeExceptionally(new ConnectionLostException("the Twisted PB connection "
                + "closed before the dialect was chosen"));
        for (Integer key : List.copyOf(pending.keySet())) {
            CompletableFuture<Object> f = pending.remove(key);
            if (f != null) {
                answers.execute(() -> f.completeExceptionally(new ConnectionLostException(
                        "the Twisted PB connection was lost while the call was pending")));
            }
        }
        answers.execute(() -> closed.complete(null));
        ctx.fireChannelInactive();
    }

    // ---- inbound messages (executor lanes) -------------------------------------------------

    /**
     * Serves one inbound call. {@code done} runs once, as soon as the method returned or threw
     * and before its answer is written: the connection's turn is free by the time the caller
     * can send its next call (which may then run on the I/O thread, see @NonBlocking).
     */
    private void handleMessage(List<?> list, Runnable done) {
        boolean[] freed = new boolean[1];
        Runnable free = () -> {
            if (!freed[0]) {
                freed[0] = true;
                done.run();
            }
        };
        if (list.size() != 7 || !(list.get(1) instanceof Integer requestId)) {
            log.warn("malformed message from the Twisted peer: {} items", list.size());
            free.run();
            return;
        }
        boolean answer = !Integer.valueOf(0).equals(list.get(4));
        Connection old = CurrentConnection.set(connection);
        try {
            Object luid = Luids.normalize(list.get(2));
            String name = text(list.get(3));
            Object target = localObject(luid);
            if (target == null) {
                throw new NoSuchObjectException("no object " + luid + " is exported on this "
                        + "connection (released, or never sent)");
            }
            Object args = jelly.unjelly(list.get(5));
            Object kw = jelly.unjelly(list.get(6));
            if (!(args instanceof List<?>) || !(kw instanceof Map<?, ?>)) {
                throw new ProtocolException("message arguments must be a tuple and a dict");
            }
            @SuppressWarnings("unchecked")
            List<Object> argList = (List<Object>) args;
            @SuppressWarnings("unchecked")
            Map<Object, Object> kwMap = (Map<Object, Object>) kw;
            Object result = Dispatch.invoke(target, name, argList, kwMap);
            free.run();
            if (!answer) {
                return;
            }
            if (result instanceof CompletionStage<?> stage) {
                stage.whenComplete((value, error) -> {
                    if (error != null) {
                        sendError(requestId, error);
                    } else {
                        sendAnswer(requestId, value);
                    }
                });
            } else {
                sendAnswer(requestId, result);
            }
        } catch (Throwable t) {
            free.run();
            if (!(t instanceof PbError)) {
                log.warn("a call from the Twisted peer failed", t);
            }
            if (answer) {
                sendError(requestId, t);
            }
        } finally {
            free.run();
            CurrentConnection.restore(old);
        }
    }

    private void sendAnswer(int requestId, Object value) {
        Object sexp;
        try {
            sexp = jelly.jelly(value);
        } catch (RuntimeException e) {
            sendError(requestId, e);
            return;
        }
        write(List.of("answer", requestId, sexp));
    }

    private void sendError(int requestId, Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        write(List.of("error", requestId, jelly.failure(e)));
    }

    /** An answer or error arrived (event loop): hand it to a blocked caller or the lane. */
    private void handleReply(List<?> list) {
        AnswerFuture<Object> f = pendingFor(list);
        if (f != null && !f.offer(list)) {
            answers.execute(() -> complete(f, list));
        }
    }

    /** Decodes an answer or error and completes its future (never on the event loop). */
    private void complete(CompletableFuture<Object> f, List<?> list) {
        boolean isError = text(list.get(0)).equals("error");
        Object value;
        try {
            value = jelly.unjelly(list.get(2));
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
            return;
        }
        if (isError) {
            f.completeExceptionally(toException(value));
        } else {
            f.complete(value);
        }
    }

    private RuntimeException toException(Object value) {
        if (value instanceof CopiedFailure cf) {
            Class<? extends PbError> type = registry.errorType(cf.type());
            if (type != null) {
                try {
                    return type.getConstructor(String.class).newInstance(cf.value());
                } catch (ReflectiveOperationException e) {
                    log.warn("cannot build {} for {}", type.getName(), cf.type(), e);
                }
            }
            return new RemoteCallException(cf.type(), cf.value(), cf.traceback());
        }
        if (value instanceof String s) {
            return new RemoteCallException("builtins.str", s, null);
        }
        return new RemoteCallException(Values.describe(value), String.valueOf(value), null);
    }

    private AnswerFuture<Object> pendingFor(List<?> list) {
        if (list.size() != 3 || !(list.get(1) instanceof Integer requestId)) {
            log.warn("malformed answer or error from the Twisted peer");
            return null;
        }
        AnswerFuture<Object> f = pending.remove(requestId);
        if (f == null) {
            log.warn("the Twisted peer answered request {}, which is not pending", requestId);
        }
        return f;
    }

    private void handleDecref(List<?> list) {
        Object luid = list.size() > 1 ? Luids.normalize(list.get(1)) : null;
        synchronized (this) {
            Exported e = luid instanceof Long l ? exportsByLuid.get(l) : null;
            if (e == null) {
                log.warn("the Twisted peer released {}, which is not exported", luid);
                return;
            }
            if (--e.count == 0) {
                exportsByLuid.remove(e.luid);
                exportsByObject.remove(e.object);
            }
        }
    }

    // ---- outbound ----------------------------------------------------------------------------

    <T> CompletableFuture<T> call(Object luid, String name, Object[] args,
            Map<String, ?> kwargs, boolean answer) {
        if (!isOpen()) {
            return CompletableFuture.failedFuture(new DeadReferenceException(
                    "the Twisted PB connection is closed"));
        }
        Object netArgs;
        Object netKw;
        try {
            netArgs = jelly.jellyTuple(args);
            netKw = jelly.jelly(kwargs);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        int requestId = nextRequestId.incrementAndGet();
        AnswerFuture<Object> f = new AnswerFuture<>(completer, channel.eventLoop());
        if (answer) {
            pending.put(requestId, f);
        }
        List<Object> message = List.of("message", requestId, Luids.toWire(luid), name,
                answer ? 1 : 0, netArgs, netKw);
        channel.writeAndFlush(message).addListener(done -> {
            if (!done.isSuccess()) {
                pending.remove(requestId);
                Throwable cause = done.cause();
                if (cause instanceof EncoderException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                if (!answer) {
                    log.warn("a one-way call to the Twisted peer failed", cause);
                }
                Throwable c = cause;
                answers.execute(() -> f.completeExceptionally(c));
            }
        });
        if (!isOpen() && pending.remove(requestId) != null) {
            f.completeExceptionally(new ConnectionLostException("the Twisted PB connection "
                    + "was lost"));
        }
        if (!answer) {
            f.complete(null);
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<T> typed = (CompletableFuture<T>) f;
        return typed;
    }

    private void write(Object message) {
        channel.writeAndFlush(message).addListener(LOG_FAILED_WRITE);
    }

    // One listener for every answer, not a lambda per write.
    private static final ChannelFutureListener LOG_FAILED_WRITE = done -> {
        if (!done.isSuccess() && done.channel().isActive()) {
            log.warn("could not send to the Twisted peer", done.cause());
        }
    };

    void close() {
        Channel c = channel;
        if (c != null) {
            c.close();
        }
    }

    // ---- tables (JellyPeer) -------------------------------------------------------------------

    @Override
    public synchronized Object export(Referenceable object) {
        Dispatch.check(object.getClass());
        Exported e = exportsByObject.get(object);
        if (e == null) {
            if (exportsByLuid.size() >= maxExports) {
                throw new LimitExceededException("more than " + maxExports + " objects "
                        + "exported on one Twisted PB connection (maxExportedObjects)");
            }
            e = new Exported(++nextLuid, object);
            exportsByObject.put(object, e);
            exportsByLuid.put(e.luid, e);
        }
        e.count++;
        return e.luid;
    }

    @Override
    public Object luidOf(RemoteReference ref) {
        return ref instanceof TwistedRemoteReference t && t.broker() == this ? t.luid() : null;
    }

    @Override
    public synchronized RemoteReference importReference(Object luid) {
        if (Luids.ROOT.equals(luid)) {
            return peerRoot();
        }
        Imported entry = imports.get(luid);
        TwistedRemoteReference proxy = entry == null ? null : entry.proxy.get();
        if (proxy != null && !entry.dead) {
            entry.count++;
            return proxy;
        }
        if (entry == null && imports.size() >= maxImports) {
            // Give the peer its send back at once: it counts this reference as ours.
            Channel c = channel;
            if (c != null) {
                c.writeAndFlush(List.of("decref", Luids.toWire(luid)));
            }
            throw new LimitExceededException("the Twisted peer sent a reference to its object "
                    + luid + " while this connection already holds " + maxImports
                    + " references to its objects (maxImportedReferences); release the "
                    + "RemoteReferences no longer needed, or raise maxImportedReferences on "
                    + "the TwistedPbClient or TwistedPbServer builder");
        }
        proxy = new TwistedRemoteReference(this, luid);
        Imported fresh = new Imported(luid, proxy);
        fresh.count = 1;
        imports.put(luid, fresh);
        proxy.cleanable(CLEANER.register(proxy, () -> released(fresh)));
        return proxy;
    }

    /** The proxy of {@code entry} was released or collected: give the peer its sends back. */
    private void released(Imported entry) {
        int count;
        synchronized (this) {
            if (entry.dead) {
                return;
            }
            entry.dead = true;
            count = entry.count;
            if (imports.get(entry.luid) == entry) {
                imports.remove(entry.luid);
            }
            if (!open) {
                return;
            }
        }
        Channel c = channel;
        for (int i = 0; i < count; i++) {
            c.write(List.of("decref", Luids.toWire(entry.luid)));
        }
        c.flush();
    }

    @Override
    public Object localObject(Object luid) {
        if (Luids.ROOT.equals(luid)) {
            if (root == null) {
                return null;
            }
            synchronized (this) {
                if (rootObject == null) {
                    rootObject = root.rootObject(connection);
                }
                return rootObject;
            }
        }
        synchronized (this) {
            Exported e = luid instanceof Long l ? exportsByLuid.get(l) : null;
            return e == null ? null : e.object;
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }

    private static String text(Object o) {
        if (o instanceof String s) {
            return s;
        }
        if (o instanceof byte[] b) {
            return new String(b, UTF_8);
        }
        return String.valueOf(o);
    }
}
