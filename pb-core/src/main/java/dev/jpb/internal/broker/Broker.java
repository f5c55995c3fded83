package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.ReferenceHooks;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.dispatch.Invoker;
import dev.jpb.internal.dispatch.MethodTable;
import dev.jpb.internal.wire.Hello;
import io.netty.channel.Channel;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's broker (PB's {@code Broker}): its reference tables, its pending calls and
 * the ordering of its inbound calls. The same class serves both ends. Thread-safe: callers use
 * it from any thread; encoding, decoding and table updates happen on the channel's event loop
 * (see {@link Outbox} and {@link Inbound}).
 */
public final class Broker implements Connection, ReferenceHooks {
    static final Logger log = LoggerFactory.getLogger(Broker.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final long LATE_SETTLE_MICROS = 1_000;

    private final long id = IDS.incrementAndGet();
    final Channel channel;
    final BrokerConfig config;
    final int maxOutboundFrame;
    final ExportTable exports;
    final ImportTable imports = new ImportTable(this);
    final CodecSession session;
    final SerialExecutor serial;
    final SerialExecutor completions;
    final Map<Long, PbFuture<Object>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextRequestId = new AtomicLong();
    private final Queue<Outbound> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Executor settleLater = this::settleLater;
    private final Runnable settleLateNow = this::settleLate;
    private final Queue<Runnable> lateSettles = new ArrayDeque<>(); // guarded by the event loop
    private boolean lateSettleScheduled; // guarded by the event loop
    private volatile boolean paused;
    private volatile boolean closed;
    private int violations; // guarded by the event loop
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private volatile Referenceable root; // this connection's root object, once asked for
    Inbound inbound; // set once, before the first frame

    Broker(Channel channel, BrokerConfig config, Hello peer) {
        this.channel = channel;
        this.config = config;
        this.maxOutboundFrame = Math.min(config.limits().maxFrameBytes(), peer.maxFrameBytes());
        this.exports = new ExportTable(config.limits().maxExportedObjects());
        this.session = new CodecSession(new TypeTable(config.limits()), this, config.limits());
        this.serial = new SerialExecutor(config.executor(), false);
        // One task completes every answer read meanwhile (not one task an answer); a refused
        // executor (shutting down) completes them on the calling thread, never drops them.
        this.completions = new SerialExecutor(config.executor(), true);
        Outbox box = new Outbox(this);
        this.drainTask = () -> {
            drainScheduled.set(false);
            box.drain(outbox);
        };
    }

    // ---- Connection

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public int exportedObjectCount() {
        return exports.size();
    }

    @Override
    public int importedReferenceCount() {
        return imports.size();
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + channel.remoteAddress() + "]";
    }

    // ---- outbound

    /** Asks the peer for its root object. */
    public CompletableFuture<RemoteReference> rootObject() {
        if (closed) {
            return PbFutures.failed(dead());
        }
        long requestId = nextRequestId.incrementAndGet();
        PbFuture<Object> f = PbFuture.forCall();
        pending.put(requestId, f);
        enqueue(new Outbound.RootRequest(requestId));
        failIfClosedMeanwhile(requestId);
        return f.thenApply(RemoteReference.class::cast);
    }

    @SuppressWarnings("unchecked")
    <T> PbFuture<T> call(long targetId, String method, Object[] args, boolean wantAnswer) {
        if (method == null) {
            return PbFutures.failed(new NullPointerException("name"));
        }
        if (closed) {
            if (!wantAnswer) {
                log.warn("{}: callRemoteOnly({}) dropped: connection closed", this, method);
            }
            return PbFutures.failed(dead());
        }
        if (!wantAnswer) {
            enqueue(new Outbound.Call(0, targetId, method, args, null));
            return null;
        }
        long requestId = nextRequestId.incrementAndGet();
        PbFuture<Object> f = PbFuture.forCall();
        pending.put(requestId, f);
        enqueue(new Outbound.Call(requestId, targetId, method, args, f));
        failIfClosedMeanwhile(requestId);
        return (PbFuture<T>) f;
    }

    private void failIfClosedMeanwhile(long requestId) {
        if (closed) {
            PbFuture<Object> f = pending.remove(requestId);
            if (f != null) {
                f.completeExceptionally(dead());
            }
        }
    }

    private DeadReferenceException dead() {
        return new DeadReferenceException(this + " is closed; reconnect to call the peer again");
    }

    void enqueue(Outbound message) {
        outbox.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The event loop is gone, so is the channel: onClosed fails what waits.
                log.debug("{}: event loop stopped; {} dropped", this, message);
            }
        }
    }

    void queueDecref(long objectId, int count) {
        if (!closed) {
            enqueue(new Outbound.Decref(objectId, count));
        }
    }

    /**
     * Completes a call's future off the event loop: on the thread blocked on it if there is one,
     * else in {@link #completions}, one answer after another in arrival order. A forwarded future
     * that nothing else depends on is completed in the next batch of {@link #settleLater}.
     */
    void complete(PbFuture<Object> f, Object value, Throwable error) {
        f.deliver(value, error, completions, settleLater);
    }

    /**
     * Queues the completion of a forwarded future whose answer has already gone out. Nobody
     * waits for it but code that kept the future after returning it, so one executor task a
     * millisecond completes them all, instead of a thread wake-up each (half of what a
     * forwarded answer cost). Off the event loop (which owns the queue) it goes straight on.
     */
    private void settleLater(Runnable settle) {
        if (!channel.eventLoop().inEventLoop()) {
            completions.execute(settle);
            return;
        }
        lateSettles.add(settle);
        if (!lateSettleScheduled) {
            lateSettleScheduled = true;
            try {
                channel.eventLoop().schedule(settleLateNow, LATE_SETTLE_MICROS,
                        TimeUnit.MICROSECONDS);
            } catch (RejectedExecutionException e) {
                settleLate(); // the event loop is shutting down: complete them now
            }
        }
    }

    private void settleLate() {
        lateSettleScheduled = false;
        Runnable settle;
        while ((settle = lateSettles.poll()) != null) {
            completions.execute(settle);
        }
    }

    /** Runs application code on the configured executor, logging what it throws. */
    void runUserCode(Runnable task, String what) {
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (Throwable t) {
                log.error("{}: {} threw", this, what, t);
            }
        };
        try {
            config.executor().execute(guarded);
        } catch (RejectedExecutionException e) {
            guarded.run(); // the executor is shutting down: finish the work here
        }
    }

    // ---- inbound, called by Inbound on the event loop and by dispatch on user threads

    void dispatch(long requestId, long targetId, Referenceable target, String method,
            Object[] args) {
        callStarted();
        if (target == null) {
            serial.execute(() -> finish(requestId, method, null, new NoSuchObjectException(
                    "no object " + targetId
                    + " is exported on this connection (released, or never sent)")));
            return;
        }
        Invoker invoker;
        try {
            invoker = MethodTable.of(target.getClass(), "remote_").find(method, args.length);
        } catch (RuntimeException e) {
            serial.execute(() -> finish(requestId, method, null, e)); // answered in order
            return;
        }
        if (invoker.isNonBlocking() && serial.isIdle()) {
            invoke(requestId, target, method, invoker, args); // here, on the event loop
        } else {
            serial.execute(() -> invoke(requestId, target, method, invoker, args));
        }
    }

    private void invoke(long requestId, Referenceable target, String method, Invoker invoker,
            Object[] args) {
        Object result;
        Connection previous = CurrentCall.enter(this);
        try {
            result = invoker.invoke(target, args);
        } catch (Throwable t) {
            finish(requestId, method, null, t);
            return;
        } finally {
            CurrentCall.exit(previous);
        }
        if (result instanceof PbFuture<?> call
                && call.forwardTo((v, t) -> finish(requestId, method, v, unwrap(t)))) {
            return; // answered from the I/O thread as soon as that call's answer arrives
        }
        if (result instanceof java.util.concurrent.CompletionStage<?> stage) {
            stage.whenComplete((v, t) -> finish(requestId, method, v, unwrap(t)));
        } else {
            finish(requestId, method, result, null);
        }
    }

    void serveRoot(long requestId) {
        callStarted();
        serial.execute(() -> {
            if (config.root() == null) {
                finish(requestId, "root", null,
                        new NoSuchObjectException("this end exposes no root object"));
                return;
            }
            Referenceable r = root;
            try {
                if (r == null) {
                    Connection previous = CurrentCall.enter(this);
                    try {
                        r = requireNonNull(config.root().rootObject(this), "rootObject()");
                    } finally {
                        CurrentCall.exit(previous);
                    }
                    root = r;
                }
            } catch (Throwable t) {
                finish(requestId, "root", null, t);
                return;
            }
            finish(requestId, "root", r, null);
        });
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void finish(long requestId, String method, Object value, Throwable error) {
        try {
            if (requestId != 0) {
                enqueue(error == null ? new Outbound.Answer(requestId, value)
                        : new Outbound.Failure(requestId, error));
            } else if (error != null) {
                log.warn("{}: one-way call remote_{} failed", this, method, error);
            }
        } finally {
            callDone();
        }
    }

    private void callStarted() {
        int max = config.limits().maxInFlightCalls();
        if (inFlight.incrementAndGet() >= max && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
            log.debug("{}: {} calls in flight; pausing reads", this, max);
            if (inFlight.get() < max) {
                resumeReads();
            }
        }
    }

    private void callDone() {
        inFlight.decrementAndGet();
        if (paused) {
            channel.eventLoop().execute(this::resumeReads);
        }
    }

    private void resumeReads() {
        if (paused && inFlight.get() < config.limits().maxInFlightCalls()) {
            paused = false;
            inbound.resume();
            if (!paused) {
                channel.config().setAutoRead(true);
            }
        }
    }

    boolean isPaused() {
        return paused;
    }

    /** Counts a peer's violation; past the limit the connection is closed. */
    void violation(String reason) {
        violations++;
        if (violations >= config.limits().maxViolations()) {
            log.warn("{}: closing after {} protocol violations (maxViolations); last: {}",
                    this, violations, reason);
            channel.close();
        } else {
            log.warn("{}: protocol violation: {}", this, reason);
        }
    }

    /** Called once when the channel is gone: fails what waits, drops the tables. */
    void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        for (Long requestId : List.copyOf(pending.keySet())) {
            PbFuture<Object> f = pending.remove(requestId);
            if (f != null) {
                complete(f, null, new ConnectionLostException(
                        "connection to " + channel.remoteAddress() + " lost before the answer"));
            }
        }
        for (Outbound m : outbox) {
            if (m instanceof Outbound.Call c && c.future() != null) {
                complete(c.future(), null, new ConnectionLostException("connection lost"));
            }
        }
        outbox.clear();
        settleLate(); // before the loop can stop: its scheduled tasks would not run
        List<DefaultRemoteReference> live = imports.clear();
        exports.clear();
        root = null;
        for (DefaultRemoteReference ref : live) {
            ref.fireDisconnect();
        }
        runUserCode(() -> closeFuture.complete(null), "close listener");
    }

    // ---- ReferenceHooks, on the event loop while encoding or decoding

    @Override
    public long export(Referenceable object) {
        MethodTable.of(object.getClass(), "remote_"); // refuses ambiguous classes before sending
        return exports.export(object);
    }

    @Override
    public void unexport(long objectId) {
        exports.release(objectId, 1);
    }

    @Override
    public long remoteIdOf(RemoteReference reference) {
        if (!(reference instanceof DefaultRemoteReference ref)) {
            throw new PbException("cannot send " + reference + ": not a jpb reference");
        }
        if (ref.broker() != this) {
            throw new PbException("cannot send " + ref + " over " + this
                    + ": a reference can only go back to the connection it came from");
        }
        if (ref.isReleased()) {
            throw new DeadReferenceException("cannot send " + ref + ": it was released");
        }
        return ref.id();
    }

    @Override
    public RemoteReference importReference(long objectId) {
        return imports.receive(objectId);
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
}
