package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Input;
import dev.jpb.Connection;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.cache.CacheSession;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.ReferenceHooks;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.codec.ValueCodec;
import dev.jpb.internal.dispatch.Dispatch;
import dev.jpb.internal.logging.LogContext;
import dev.jpb.internal.metrics.BrokerMetrics;
import dev.jpb.internal.metrics.ConnectionMetrics;
import dev.jpb.internal.metrics.ReadTime;
import dev.jpb.internal.transport.Transport;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import dev.jpb.internal.wire.Hello;
import dev.jpb.internal.wire.MessageKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's broker (PB's {@code Broker}): its reference tables, its pending calls and
 * the ordering of its inbound calls. The same class serves both ends. Thread-safe: callers use
 * it from any thread. Its event loop reads frame headers ({@link #handle}, the one switch over
 * message kinds), updates the tables and encodes (see {@link Outbox}); values are decoded off
 * the loop, on the thread that then runs the call or completes the future, so no application
 * code ({@code hashCode}, constructors of copies) runs on an event loop unless the executor is
 * direct or the method is {@code @NonBlocking}. The application sees it as its {@link
 * #connection()}.
 */
public final class Broker implements ReferenceHooks {
    static final Logger log = LoggerFactory.getLogger(Broker.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final FastThreadLocal<Input> INPUTS = new FastThreadLocal<>() {
        @Override
        protected Input initialValue() {
            return ValueCodec.newInput();
        }
    };

    // Final fields: written once before publication. The objects they hold guard themselves:
    // each says how (thread-safe, or touched only on the event loop).
    private final long id = IDS.incrementAndGet();
    final Channel channel;
    final BrokerConfig config;
    final int maxOutboundFrame;
    final ExportTable exports; // a monitor
    final ImportTable imports; // concurrent
    final CodecSession session; // outbound side on the event loop; inbound, see TypeTable
    private final DefaultConnection connection = new DefaultConnection(this);
    final PendingCalls pending = new PendingCalls(); // concurrent
    final Outbox outbox; // queue from any thread, drained on the event loop
    final CallerEncoding callerEncoding; // null unless calls are encoded on the caller's thread
    final CallGate gate; // arrivals on the event loop, ends from any thread
    final InboundCalls calls; // serves the calls the gate lets through
    final ServerLogin login; // this end's sessions, if it serves login (thread-safe)
    // The pending requests that are this end's LOGIN/LOGIN_PROOF frames (see ClientLogin).
    final java.util.Set<Long> loginRequests = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Hello peerHello;
    final CacheSession cache; // cacheables both ways: see its own guards
    // Completes answers in arrival order (decoding them there), one task for all read meanwhile.
    final SerialExecutor completions;
    final Cancellation cancellation = new Cancellation(this); // the callee's side of §14
    final boolean peerHasDeadlines; // its hello has FEATURE_DEADLINES: it takes §14's frames
    final OutboundLimit outboundLimit; // maxQueuedOutboundBytes
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile boolean closed; // set once, on the event loop
    private final Violations violations = new Violations(); // touched on the event loop
    // The header of the CALL being read, filled again for each (guarded by the event loop).
    private final FrameCodec.CallHeader callHeader = new FrameCodec.CallHeader();
    private final FrameCodec.ObserveHeader observeHeader = new FrameCodec.ObserveHeader();
    final ConnectionMetrics metrics; // thread-safe; ConnectionMetrics.NONE when off
    // The time of the socket read being handled, for the metrics of the calls and answers it
    // brings (guarded by the event loop; the clock is read only with metrics on).
    final ReadTime readTime = new ReadTime();

    Broker(Channel channel, BrokerConfig config, Hello peer) {
        this.channel = channel;
        this.config = config;
        this.maxOutboundFrame = Math.min(config.limits().maxFrameBytes(), peer.maxFrameBytes());
        this.exports = new ExportTable(config.limits().maxExportedObjects());
        this.outbox = new Outbox(this);
        this.imports = new ImportTable(this, config.limits().maxImportedReferences(),
                this::enqueueRelease);
        this.session = new CodecSession(new TypeTable(config.limits()), this, config.limits());
        this.callerEncoding = CallerEncoding.ENABLED ? new CallerEncoding(this) : null;
        this.gate = new CallGate(this, channel, config.limits().maxInFlightCalls(),
                config.limits().maxFrameBytes());
        this.calls = new InboundCalls(this);
        this.login = new ServerLogin(this);
        this.peerHello = peer;
        this.peerHasDeadlines = peer.offers(Hello.FEATURE_DEADLINES);
        this.outboundLimit = new OutboundLimit(this);
        this.cache = new CacheSession(new BrokerCacheLink(this),
                peer.offers(Hello.FEATURE_CACHE));
        this.completions = new SerialExecutor(config.executor(), channel, (task, e) -> {
            log.warn("{}: the executor refused to complete answers ({}); completing them on"
                    + " jpb's fallback threads", this, e.toString());
            Transport.fallbackExecutor().execute(task);
        });
        if (channel.pipeline().get(dev.jpb.internal.transport.PipelineConfigurator.TLS) != null) {
            // Over TLS a flush is a record to seal and open: batch them (see Outbox).
            outbox.holdFlushesWhileBusy();
            calls.onIdle(outbox::producerIdle);
            completions.onIdle(outbox::producerIdle);
        }
        LogContext.connection(channel, id);
        this.metrics = BrokerMetrics.of(channel).opened(connection, channel, cache);
        if (metrics != ConnectionMetrics.NONE) {
            channel.attr(ReadTime.KEY).set(readTime);
        }
    }

    /** Returns the connection the application sees: one instance for this broker's life. */
    public Connection connection() {
        return connection;
    }

    long id() {
        return id;
    }

    boolean isOpen() {
        return !closed;
    }

    /** Returns a future completed (off the event loop) once the connection is closed. */
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    /** Closes the connection; pending calls fail with {@link ConnectionLostException}. */
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + channel.remoteAddress() + "]";
    }

    // ---- outbound, from any thread

    /** Asks the peer for its root object. */
    public CompletableFuture<RemoteReference> rootObject() {
        if (closed) {
            return PbFutures.failed(dead());
        }
        PbFuture<Object> f = PbFuture.forCall();
        long requestId = pending.add(f);
        outbox.enqueue(new Outbound.RootRequest(requestId));
        failIfClosedMeanwhile(requestId);
        return f.thenApply(RemoteReference.class::cast);
    }

    <T> PbFuture<T> call(long targetId, String method, Object[] args, boolean wantAnswer) {
        return call(targetId, method, args, wantAnswer, Deadlines.NONE);
    }

    /**
     * Sends a call; {@code timeoutNanos} > 0 gives it a deadline that far ahead ({@link
     * Deadlines#NONE}: none). Made while serving an inbound call, it inherits that call's
     * deadline (the earlier one wins) and is cancelled with it.
     */
    @SuppressWarnings("unchecked")
    <T> PbFuture<T> call(long targetId, String method, Object[] args, boolean wantAnswer,
            long timeoutNanos) {
        if (method == null) {
            return PbFutures.failed(new NullPointerException("name"));
        }
        if (closed) {
            if (!wantAnswer) {
                log.warn("{}: callRemoteOnly({}) dropped: connection closed", this, method);
            }
            return PbFutures.failed(dead());
        }
        CallScope scope = CurrentCall.scope();
        long deadline = Deadlines.deadline(timeoutNanos, scope);
        Throwable refused = Deadlines.refusal(method, scope, deadline);
        if (refused == null) {
            refused = outboundLimit.refusal(method);
        }
        if (refused != null) {
            if (!wantAnswer) {
                outboundLimit.droppedOneWay(method);
            }
            return PbFutures.failed(refused);
        }
        if (!wantAnswer) {
            if (CallerEncoding.ENABLED) {
                callerEncoding.send(0, targetId, method, args, null, deadline);
            } else {
                outbox.enqueue(new Outbound.Call(0, targetId, method, args, null, deadline));
            }
            metrics.oneWaySent(method);
            return null;
        }
        PbFuture<Object> f = PbFuture.forCall();
        f.metered(metrics.callSent(method)); // before anything else can complete it
        long requestId = pending.add(f);
        Deadlines.watch(this, f, requestId, method, deadline, scope);
        if (CallerEncoding.ENABLED) {
            callerEncoding.send(requestId, targetId, method, args, f, deadline);
        } else {
            outbox.enqueue(new Outbound.Call(requestId, targetId, method, args, f, deadline));
        }
        failIfClosedMeanwhile(requestId);
        return (PbFuture<T>) f;
    }

    /**
     * The caller cancelled its call {@code requestId}: the callee is told (if it understands
     * CANCEL). The call stays pending, its future done, until the callee's answer arrives and
     * is dropped (protocol §14.2).
     */
    void cancelled(long requestId) {
        if (peerHasDeadlines && !closed) {
            outbox.enqueue(new Outbound.Control(new Frame.Cancel(requestId)));
        }
    }

    /** Queues a released proxy's entry: in order with calls encoded on their callers. */
    private void enqueueRelease(ImportTable.Entry e) {
        if (CallerEncoding.ENABLED) {
            callerEncoding.released(e);
        } else {
            outbox.enqueue(new Outbound.Release(e));
        }
    }

    private void failIfClosedMeanwhile(long requestId) {
        if (closed) {
            failPending(requestId, dead());
        }
    }

    /** Fails a pending call, unless something else completed it first. */
    void failPending(long requestId, Throwable error) {
        PbFuture<Object> f = pending.remove(requestId);
        if (f != null) {
            f.deliver(null, error, completions);
        }
    }

    private DeadReferenceException dead() {
        return new DeadReferenceException(this + " is closed; reconnect to call the peer again");
    }

    /**
     * Runs application code (listeners) on the configured executor, logging what it throws. If
     * the executor refuses, it runs on jpb's fallback threads, never on the calling thread
     * (which may be an event loop).
     */
    void runUserCode(Runnable task, String what) {
        Runnable guarded = LogContext.wrap(channel, () -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("{}: {} threw", this, what, t);
            }
        });
        try {
            config.executor().execute(guarded);
        } catch (RejectedExecutionException e) {
            log.warn("{}: the executor refused the {} ({}); running it on jpb's fallback"
                    + " threads", this, what, e.toString());
            Transport.fallbackExecutor().execute(guarded);
        }
    }

    // ---- login (docs/protocol.md §13.2): see ClientLogin and ServerLogin

    /** Returns whether the peer's hello offers login (feature bit 0). */
    public boolean peerOffersLogin() {
        return peerHello.offers(Hello.FEATURE_LOGIN);
    }

    /** Logs in to the peer with {@code exchange}; the future yields the perspective. */
    public CompletableFuture<RemoteReference> login(
            dev.jpb.internal.login.ScramClientExchange exchange, Referenceable mind) {
        return ClientLogin.login(this, exchange, mind);
    }

    /** Logs in to the peer anonymously; the future yields the perspective. */
    public CompletableFuture<RemoteReference> loginAnonymously(Referenceable mind) {
        return ClientLogin.anonymous(this, mind);
    }

    /** Logs in as the client certificate of this connection's TLS handshake. */
    public CompletableFuture<RemoteReference> loginWithCertificate(Referenceable mind) {
        return ClientLogin.certificate(this, mind);
    }

    /** Ends this connection's session on the peer; completes once it has ended. */
    public CompletableFuture<Void> logout() {
        return ClientLogin.logout(this);
    }

    // ---- inbound: the one switch, on the event loop

    /** Handles one frame body (owned; released here or by whoever it is handed to). */
    void handle(ByteBuf body) {
        assert channel.eventLoop().inEventLoop();
        boolean handedOff = false;
        try {
            // The two kinds of every call, read without a header record (see handleCall).
            int first = FrameCodec.peekKind(body);
            if (first == MessageKind.CALL || first == MessageKind.CALL_DEADLINE) {
                FrameCodec.readCall(body, callHeader);
                handedOff = handleCall(callHeader, body);
                if (!handedOff && body.isReadable()) { // argc 0: the header ends the body
                    violation(body.readableBytes() + " bytes after the end of a message of"
                            + " kind " + first);
                }
                return;
            }
            if (first == MessageKind.ANSWER) {
                handedOff = handleAnswer(FrameCodec.readAnswer(body), body);
                return;
            }
            if (first == MessageKind.OBSERVE) { // a cache fan-out's many updates: as calls
                FrameCodec.readObserve(body, observeHeader);
                handedOff = cache.handleObserve(observeHeader.objectId, observeHeader.method,
                        observeHeader.argc, body);
                return; // not a header-only kind: values may follow (FrameCodec.isHeaderOnly)
            }
            Frame frame = FrameCodec.read(body);
            switch (frame.kind()) {
                case MessageKind.ERROR ->
                        handedOff = handleError((Frame.Error) frame, body);
                case MessageKind.DECREF -> handleDecref((Frame.Decref) frame);
                case MessageKind.TYPES -> handleTypes((Frame.Types) frame);
                case MessageKind.ROOT -> handleRoot((Frame.Root) frame);
                case MessageKind.LOGIN -> handedOff = login.onLogin((Frame.Login) frame, body);
                case MessageKind.LOGIN_CHALLENGE ->
                        ClientLogin.onChallenge(this, (Frame.LoginChallenge) frame);
                case MessageKind.LOGIN_PROOF ->
                        handedOff = login.onProof((Frame.LoginProof) frame, body);
                case MessageKind.LOGIN_OK ->
                        handedOff = ClientLogin.onOk(this, (Frame.LoginOk) frame, body);
                case MessageKind.LOGOUT -> login.onLogout((Frame.Logout) frame);
                case MessageKind.CANCEL -> cancellation.cancel(((Frame.Cancel) frame).requestId());
                case MessageKind.PING -> outbox.enqueue(new Outbound.Control(new Frame.Ping(true)));
                case MessageKind.PONG -> { } // its arrival is what keepalive waits for
                case MessageKind.CACHE -> handedOff = cache.handleCache((Frame.Cache) frame, body);
                case MessageKind.OBSERVE ->
                        handedOff = cache.handleObserve((Frame.Observe) frame, body);
                default -> throw new ProtocolException("unknown message kind " + frame.kind());
            }
            if (!handedOff && body.isReadable() && FrameCodec.isHeaderOnly(frame)) {
                violation(body.readableBytes() + " bytes after the end of a message of kind "
                        + frame.kind());
            }
        } finally {
            if (!handedOff) {
                body.release();
            }
        }
    }

    /**
     * A CALL or CALL_DEADLINE whose header {@code c} holds (read into the broker's one header,
     * not a record per call): its {@link InboundCall} is the only object made for it here.
     */
    private boolean handleCall(FrameCodec.CallHeader c, ByteBuf body) {
        assert channel.eventLoop().inEventLoop();
        // Resolve the target now, in arrival order: a release that follows the call on the wire
        // must not remove it before the call runs.
        Referenceable target = exports.get(c.targetId);
        ByteBuf args = null;
        if (c.argc > 0) {
            exports.pin(); // YOURS among the arguments: see ExportTable
            args = body;
        }
        InboundCall call = new InboundCall(this, c.requestId, c.targetId, c.method,
                c.argc, false, target, args);
        cancellation.arrived(call, c.timeoutMicros);
        gate.arrive(call);
        return args != null;
    }

    private void handleRoot(Frame.Root r) {
        assert channel.eventLoop().inEventLoop();
        gate.arrive(new InboundCall(this, r.requestId(), 0, "root", 0, true, null, null));
    }

    private boolean handleAnswer(long requestId, ByteBuf body) {
        assert channel.eventLoop().inEventLoop();
        PbFuture<Object> f = pending.remove(requestId);
        if (f == null) {
            violation("answer to unknown request " + requestId);
            return false;
        }
        exports.pin();
        f.arrived(readTime);
        f.deliverAnswer(this, body, completions);
        return true;
    }

    private boolean handleError(Frame.Error e, ByteBuf body) {
        assert channel.eventLoop().inEventLoop();
        PbFuture<Object> f = pending.remove(e.requestId());
        if (f == null) {
            violation("error answer to unknown request " + e.requestId());
            return false;
        }
        giveBackUnread(f, e);
        f.arrived(readTime);
        if (!e.hasObject()) {
            f.deliver(null, EncodedAnswer.remoteCallException(e), completions);
            return false;
        }
        exports.pin();
        f.deliver(new EncodedAnswer(this, body, e), completions);
        return true;
    }

    /**
     * The peer could not read the call's arguments and received none of their references
     * (§4.3): the sends are given back here, as its DECREF would have.
     */
    private void giveBackUnread(PbFuture<Object> f, Frame.Error e) {
        long[] sent = f.takeSentReferences();
        if (e.argumentsUnread() && sent != null) {
            for (long id : sent) {
                Referenceable object = exports.get(id);
                if (exports.release(id, 1) && object instanceof dev.jpb.Avatar a
                        && !exports.isExported(a)) {
                    login.released(a);
                }
            }
        }
    }

    private void handleDecref(Frame.Decref d) {
        assert channel.eventLoop().inEventLoop();
        for (Frame.Decref.Pair p : d.pairs()) {
            Referenceable object = exports.get(p.objectId());
            if (p.count() <= 0 || !exports.release(p.objectId(), p.count())) {
                violation("decref of " + p.count() + " for object " + p.objectId()
                        + ", which was not sent that often");
            } else if (object instanceof dev.jpb.Avatar a && !exports.isExported(a)) {
                login.released(a); // the perspective given back: its session ends
            }
        }
    }

    private void handleTypes(Frame.Types t) {
        assert channel.eventLoop().inEventLoop(); // the one thread that defines peer types
        for (int i = 0; i < t.names().size(); i++) {
            String name = t.names().get(i);
            String problem = name == null ? "null type name"
                    : session.types().define(t.firstId() + i, name, config.codec().registry());
            if (problem != null) {
                throw new ProtocolException(problem);
            }
        }
    }

    /**
     * Decodes {@code count} values from {@code body} (not released here), on the calling
     * thread: never an event loop unless the application chose so.
     */
    Object[] decodeValues(ByteBuf body, int count) {
        return decodeValues(body, count, false);
    }

    /**
     * As {@link #decodeValues(ByteBuf, int)}; {@code allOrNothing}: if the values cannot be
     * read to the end, the references read before the failure are not received
     * ({@link ValueCodec#readAllOrNothing}).
     */
    Object[] decodeValues(ByteBuf body, int count, boolean allOrNothing) {
        Input in = inputOf(body);
        try {
            Object[] values = allOrNothing ? config.codec().readAllOrNothing(in, count, session)
                    : config.codec().read(in, count, session);
            checkEnd(in);
            return values;
        } finally {
            trim(in);
        }
    }

    /**
     * Decodes the one value in {@code body} (not released here), as {@code decodeValues(body,
     * 1)[0]} does, without the array: an answer's value, an error's object.
     */
    Object decodeValue(ByteBuf body) {
        Input in = inputOf(body);
        try {
            Object value = config.codec().readOne(in, session);
            checkEnd(in);
            return value;
        } finally {
            trim(in);
        }
    }

    // This thread's input, reading body's readable bytes (a large body without a whole copy).
    private static Input inputOf(ByteBuf body) {
        Input in = INPUTS.get();
        ValueCodec.setFrame(in, body);
        return in;
    }

    private void checkEnd(Input in) {
        int left = ValueCodec.bytesLeft(in);
        if (left > 0) {
            violation(left + " bytes after the last value of a message");
        }
    }

    private static void trim(Input in) {
        ValueCodec.clearFrame(in); // no reference to a body that is released next
    }

    /** Returns whether new inbound calls are being held back (maxInFlightCalls). */
    boolean isHolding() {
        return gate.isHolding();
    }

    /** Counts a peer's violation; past the limit the connection is closed. Any thread. */
    void violation(String reason) {
        if (!channel.eventLoop().inEventLoop()) {
            try {
                channel.eventLoop().execute(LogContext.wrap(channel, () -> violation(reason)));
            } catch (RejectedExecutionException e) {
                log.debug("{}: event loop stopped; violation not counted: {}", this, reason);
            }
            return;
        }
        metrics.violation(reason);
        if (violations.add(this, reason, config.limits().maxViolations())) {
            channel.close();
        }
    }

    /** Called once when the channel is gone: fails what waits, drops the tables. */
    void onClosed() {
        assert channel.eventLoop().inEventLoop();
        if (closed) {
            return;
        }
        closed = true;
        violations.closed(this);
        metrics.closed();
        for (PbFuture<Object> f : pending.removeAll()) {
            f.deliver(null, new ConnectionLostException(
                    "connection to " + channel.remoteAddress() + " lost before the answer"),
                    completions);
        }
        outbox.failQueued();
        gate.clear();
        cancellation.clear();
        outboundLimit.clear();
        List<DefaultRemoteReference> live = imports.clear();
        exports.clear();
        cache.onClosed();
        calls.forgetRoot();
        login.onClosed();
        for (DefaultRemoteReference ref : live) {
            ref.fireDisconnect();
        }
        runUserCode(() -> closeFuture.complete(null), "close listener");
    }

    // ---- ReferenceHooks: export/remoteIdOf on the event loop while encoding; import and
    // exportedObject on the thread decoding

    @Override
    public long export(Referenceable object) {
        Dispatch.checkExportable(object.getClass()); // refuses ambiguous classes before sending
        return exports.export(object);
    }

    @Override
    public void unexport(long objectId) {
        exports.release(objectId, 1);
    }

    @Override
    public long remoteIdOf(RemoteReference reference) {
        if (reference instanceof DeadlineReference view) {
            reference = view.base(); // a view of a reference travels as the reference
        }
        if (!(reference instanceof DefaultRemoteReference ref)) {
            throw new PbException("cannot send " + reference + ": not a jpb reference");
        }
        if (ref.broker() != this) {
            throw new PbException("cannot send " + ref + " over " + this
                    + ": a reference can only go back to the connection it came from");
        }
        // Released before this message was queued, not merely before it is encoded (§7).
        if (ref.isGoneOnTheWire()) {
            throw new DeadReferenceException("cannot send " + ref + ": it was released");
        }
        return ref.id();
    }

    @Override
    public RemoteReference importReference(long objectId) {
        return imports.receive(objectId);
    }

    @Override
    public void unimport(long objectId) {
        imports.unreceive(objectId);
    }

    @Override
    public Referenceable exportedObject(long objectId) {
        Referenceable object = exports.get(objectId);
        if (object == null) {
            throw new NoSuchObjectException("the peer sent back object " + objectId
                    + ", which this end does not export (released, or never sent)");
        }
        return object;
    }

    @Override
    public long exportCache(Object cacheable) {
        return cache.exportCache(cacheable);
    }

    @Override
    public Object importCache(long objectId) {
        return cache.importCache(objectId);
    }

    @Override
    public long idOfCopy(Object copy) {
        return cache.idOfCopy(copy);
    }
}
