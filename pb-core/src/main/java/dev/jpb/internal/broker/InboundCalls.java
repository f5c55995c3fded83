package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.CallRejectedException;
import dev.jpb.Connection;
import dev.jpb.NoSuchObjectException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.internal.dispatch.Invoker;
import dev.jpb.internal.dispatch.Dispatch;
import dev.jpb.internal.transport.Transport;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Serves one connection's inbound calls once its {@link CallGate} lets them through: finds the
 * method on the event loop, then, in the call's turn on the connection's serial executor,
 * decodes the arguments, runs the method and queues the answer. Thread-safe.
 */
final class InboundCalls {
    private final Broker broker;
    // Inbound calls, one at a time in arrival order (their arguments decoded there).
    private final SerialExecutor serial;
    // In-order work other than calls that the executor refused: still one at a time, in order.
    private final SerialExecutor refusedWork;
    // The root object, made by the first ROOT (any executor thread; a CAS decides who makes it).
    private final AtomicReference<CompletableFuture<Referenceable>> root = new AtomicReference<>();

    InboundCalls(Broker broker) {
        this.broker = broker;
        // Batched per loop iteration: one update read on many connections at once is one
        // hand-off to the executor, not one per connection (LoopBatch).
        this.serial = new SerialExecutor(broker.config.executor(), broker.channel, true,
                this::callRefused);
        this.refusedWork = new SerialExecutor(Transport.fallbackExecutor(), broker.channel,
                (task, e) -> Broker.log.error("{}: jpb's fallback threads refused {}", broker,
                        task, e));
    }

    /**
     * Runs {@code task} in the connection's call order (a copy's update or state): behind every
     * call started before it, one at a time with them, on the executor.
     */
    void runInOrder(Runnable task) {
        serial.execute(task);
    }

    /**
     * Returns whether no call or in-order work is queued or running: exact on the event loop,
     * where work run now keeps the order.
     */
    boolean isIdle() {
        return serial.isIdle();
    }

    /** Returns whether inbound calls wait for their turn: their answers will follow soon. */
    boolean hasQueued() {
        return serial.hasQueued();
    }

    /** Sets what runs each time the inbound calls run out (see {@link SerialExecutor#onIdle}). */
    void onIdle(Runnable onIdle) {
        serial.onIdle(onIdle);
    }

    /** Forgets the root object (the connection is gone). */
    void forgetRoot() {
        root.set(null);
    }

    /** Starts a call the gate let through: finds its method, then queues it in order. */
    void start(InboundCall call) {
        assert broker.channel.eventLoop().inEventLoop();
        if (!call.root) {
            if (call.target == null) {
                call.failure = new NoSuchObjectException("no object " + call.targetId
                        + " is exported on this connection (released, or never sent)");
            } else {
                try {
                    call.invoker = Dispatch.find(call.target, call.method, call.argc);
                } catch (RuntimeException e) {
                    call.failure = e; // answered in order
                }
            }
            call.metered = broker.metrics.callStarted(call.invoker != null ? call.method : null,
                    call.requestId != 0, broker.readTime);
            if (call.invoker != null && call.invoker.isNonBlocking() && serial.isIdle()) {
                serve(call); // here, on the event loop: the method asked for it
                return;
            }
        }
        serial.execute(call);
    }

    /** Serves one call in its turn: decodes its arguments, runs it, queues its answer. */
    void serve(InboundCall call) {
        if (call.root) {
            serveRoot(call);
            return;
        }
        Throwable refused = Cancellation.refusal(call);
        if (refused != null) { // cancelled, or out of time, before it started: not run
            boolean unread = drain(call);
            finish(call, null, refused, unread);
            return;
        }
        Object[] args;
        ByteBuf body = call.takeArgs();
        if (body == null) {
            args = new Object[0];
        } else {
            boolean allOrNothing = call.requestId != 0 && broker.peerHasDeadlines;
            try {
                args = broker.decodeValues(body, call.argc, allOrNothing);
            } catch (PbException e) {
                broker.violation("call remote_" + call.method + ": " + e.getMessage());
                finish(call, null, asError(e), allOrNothing);
                return;
            } finally {
                body.release();
                broker.exports.unpin();
            }
        }
        if (call.failure != null) { // decoded first: undecodable arguments are a violation
            finish(call, null, call.failure);
            return;
        }
        invoke(call, args);
    }

    /**
     * Decodes the arguments of a call that will not run, only to receive the references the
     * caller sent in them (given back once unreachable): dropped undecoded, they would stay
     * exported on the caller's side for the connection's life. Returns whether they could not
     * be decoded whole and none was received (the answer then says so).
     */
    private boolean drain(InboundCall call) {
        ByteBuf body = call.takeArgs();
        if (body == null) {
            return false;
        }
        boolean allOrNothing = call.requestId != 0 && broker.peerHasDeadlines;
        try {
            broker.decodeValues(body, call.argc, allOrNothing);
            return false;
        } catch (PbException e) {
            Broker.log.debug("{}: arguments of the refused remote_{} undecodable: {}", broker,
                    call.method, e.getMessage());
            return allOrNothing; // none received: the caller gives them back (§4.3)
        } finally {
            body.release();
            broker.exports.unpin();
        }
    }

    private static Throwable asError(PbException e) {
        return e instanceof ProtocolException ? new PbError(e.getMessage()) : e;
    }

    private void invoke(InboundCall call, Object[] args) {
        Object result;
        CurrentCall.Served here = CurrentCall.served(); // one lookup to enter and to restore
        Connection previous = here.connection;
        CallScope previousScope = here.scope;
        here.connection = broker.connection();
        here.scope = call;
        try {
            result = call.invoker.invoke(call.target,
                    broker.login.arguments(call.target, call.invoker, args));
        } catch (Throwable t) {
            finish(call, null, t);
            return;
        } finally {
            here.scope = previousScope;
            here.connection = previous;
        }
        if (result instanceof CompletableFuture<?> returned && call.requestId != 0) {
            call.bind(returned); // cancelled with the call
        }
        if (result instanceof PbFuture<?> nested
                && nested.forwardTo((v, t) -> finish(call, v, unwrap(t)))) {
            return; // answered as soon as that call's answer is decoded
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((v, t) -> finish(call, v, unwrap(t)));
        } else {
            finish(call, result, null);
        }
    }

    /**
     * Answers a ROOT. The root object is made once per connection, by the first ROOT; one that
     * arrives while {@code rootObject} runs (it may block on a jpb call, giving up the turn)
     * is answered with the same object when it is ready. A failed attempt is not kept.
     */
    private void serveRoot(InboundCall call) {
        if (broker.config.root() == null) {
            finish(call, null,
                    new NoSuchObjectException("this end exposes no root object"));
            return;
        }
        CompletableFuture<Referenceable> mine = new CompletableFuture<>();
        CompletableFuture<Referenceable> made = root.compareAndExchange(null, mine);
        if (made == null) {
            made = mine;
            Connection previous = CurrentCall.enter(broker.connection());
            try {
                mine.complete(requireNonNull(broker.config.root().rootObject(broker.connection()),
                        "rootObject()"));
            } catch (Throwable t) {
                root.compareAndSet(mine, null);
                mine.completeExceptionally(t);
            } finally {
                CurrentCall.exit(previous);
            }
        }
        made.whenComplete((r, t) -> finish(call, r, unwrap(t)));
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void finish(InboundCall call, Object value, Throwable error) {
        finish(call, value, error, false);
    }

    /** {@code unread}: the arguments could not be read; none of their references counted. */
    private void finish(InboundCall call, Object value, Throwable error, boolean unread) {
        long requestId = call.requestId;
        try { // the outbox ends its cancellation when it writes the answer
            if (call.metered != null) {
                call.metered.end(error);
            }
            if (requestId != 0 && error == null) {
                call.answer = value;
                broker.outbox.enqueue(call); // the call is its answer's message
            } else if (requestId != 0) {
                broker.outbox.enqueue(unread ? new Outbound.UnreadFailure(requestId, error)
                        : new Outbound.Failure(requestId, error));
            } else if (error != null) {
                Broker.log.warn("{}: one-way call remote_{} failed", this, call.method, error);
            }
        } finally {
            broker.gate.callDone();
        }
    }

    /** A call the executor refused: answered with why, never run (on any thread). */
    private void callRefused(Runnable task, RejectedExecutionException e) {
        if (!(task instanceof InboundCall call)) {
            Broker.log.warn("{}: the executor refused copy updates ({}); running them on jpb's"
                    + " fallback threads", broker, e.toString());
            refusedWork.execute(task);
            return;
        }
        Broker.log.warn("{}: the executor refused call remote_{} (request {}): {}; answering"
                + " CallRejectedException", broker, call.method, call.requestId, e.toString());
        call.discard();
        finish(call, null, new CallRejectedException("the callee's"
                + " executor refused to run remote_" + call.method + " (" + e.getMessage()
                + "); retry later, or give the callee an executor with room"));
    }
}
