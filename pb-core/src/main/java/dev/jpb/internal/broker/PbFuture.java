package dev.jpb.internal.broker;

import dev.jpb.BlockingCallException;
import dev.jpb.NonBlockingThread;
import dev.jpb.internal.metrics.MeteredCall;
import dev.jpb.internal.metrics.ReadTime;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.internal.ThreadExecutorMap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The future {@code callRemote} returns. Blocking on it from inside a {@code remote_} method
 * first gives up that connection's turn (see {@link SerialExecutor}), so the peer's nested or
 * re-entrant calls can be served meanwhile instead of deadlocking. Futures derived from it
 * ({@code thenApply}, ...) behave the same (they are {@link DerivedFuture}s).
 *
 * <p>A call's own future (made by {@link #forCall()}) also saves a thread hand-off: when its
 * answer arrives while a thread is blocked in {@code get} or {@code join} on it, the broker hands
 * the answer, still encoded, to that thread, which decodes it and completes the future itself
 * (running any callbacks, as the executor would have) instead of waiting for an executor thread
 * to wake it. This is grpc-java's "threadless executor" for blocking stubs. Otherwise the answer
 * is decoded and completes the future on the executor.
 *
 * <p>Blocking on it from a Netty event loop (user code runs there when the executor is direct)
 * throws {@link BlockingCallException} instead of parking that thread: it may be the one that
 * has to read the answer. The check costs nothing once the future is done.
 */
public final class PbFuture<T> extends CompletableFuture<T> implements Runnable {
    // Hand-off states in 'waiter': null (nobody waits yet), a Thread (it waits for the answer),
    // HANDED (the answer is in 'handed*' for that thread), a Forward (the broker forwards the
    // answer, see forwardTo), or SETTLED (no hand-off any more: the answer went to the
    // executor, or the waiter stopped waiting).
    private static final Object HANDED = new Object();
    private static final Object SETTLED = new Object();
    private static final VarHandle WAITER;
    private static final VarHandle METERED;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(PbFuture.class, "waiter", Object.class);
            METERED = MethodHandles.lookup().findVarHandle(PbFuture.class, "metered",
                    MeteredCall.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Object waiter;
    private Object handedValue; // published by the CAS to HANDED
    private Throwable handedError;
    private EncodedAnswer handedAnswer; // or the answer still to decode, likewise
    // Or an ANSWER's value still in its frame, for the owner's broker to decode: given to the
    // thread blocked on this future (published by the CAS to HANDED) or to the executor's task,
    // which is this future itself (published by the executor's queue). Saves an EncodedAnswer
    // per call; see deliverAnswer.
    private ByteBuf handedBody;
    // A sent call's, for cancel(): written before callRemote returns it (see Deadlines.watch).
    private volatile Broker owner;
    private long requestId; // published by the write to owner
    private volatile java.util.concurrent.Future<?> timer; // the deadline's, or null
    long pendingId; // its request id while in PendingCalls (see there); 0 otherwise
    // A sent call's metrics: written before callRemote returns it; or null (metrics off, or
    // ended: whoever takes it with METERED ends it).
    private MeteredCall metered;
    private long[] sentReferences; // guarded by the event loop: ids the CALL exported, or null

    /** A future no answer is delivered to: derived futures, already-failed calls. */
    public PbFuture() {
        waiter = SETTLED;
    }

    private PbFuture(boolean forCall) {
        // waiter stays null: a blocked thread may take the answer
    }

    /** The future of one outgoing call, completed by {@link #deliver}. */
    static <T> PbFuture<T> forCall() {
        return new PbFuture<>(true);
    }

    /** Keeps the ids the CALL exported, one per send (null: none); on the event loop. */
    void sentReferences(long[] ids) {
        sentReferences = ids;
    }

    /** Returns and forgets the ids the CALL exported, or null; on the event loop. */
    long[] takeSentReferences() {
        long[] ids = sentReferences;
        sentReferences = null;
        return ids;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new DerivedFuture<>(); // no hand-off to it: none of a call's fields
    }

    /**
     * Has the broker's {@code forward} receive this call's answer as soon as it is decoded,
     * ahead of the future's own completion and its callbacks. For a {@code remote_} method that
     * returns another call's future, PB's chained Deferred: its answer then leaves without a
     * second executor task. Refused (false) once anything depends on or waits for this future,
     * or it is done: the caller then completes through callbacks as usual. {@code forward} is
     * jpb's own code, never the application's. An answer whose decoding runs no application
     * code (null, a reference, a box or string) is forwarded from the I/O thread that read it;
     * any other is decoded and forwarded on the executor, then completes the future there.
     */
    boolean forwardTo(BiConsumer<Object, Throwable> forward) {
        Forward f = new Forward(forward);
        if (getNumberOfDependents() != 0 || isDone() || !WAITER.compareAndSet(this, null, f)) {
            return false;
        }
        // Completed some other way (cancel, orTimeout, ...): forward that, on its thread.
        super.whenComplete(f::fire);
        return true;
    }

    /**
     * Completes this future with an outcome known already (a local failure, the connection
     * lost): on the thread blocked on it, if there is one, or else as a task on {@code
     * executor}. Called at most once per call, by whoever removed the call from its pending
     * calls.
     */
    void deliver(T value, Throwable error, Executor executor) {
        if (isDone()) {
            return; // cancelled or timed out meanwhile: the answer has nobody to go to
        }
        Object w = WAITER.compareAndExchange(this, null, SETTLED);
        if (w instanceof Forward f) {
            f.fire(value, error);
        } else if (w instanceof Thread t) {
            handedValue = value;
            handedError = error;
            if (WAITER.compareAndSet(this, t, HANDED)) {
                LockSupport.unpark(t);
                return;
            }
            // the waiter stopped waiting in between: fall through to the executor
        }
        executor.execute(() -> settle(value, error));
    }

    /**
     * Completes this future with an answer still in its bytes. The answer is decoded (which
     * may run application code: constructors of copies, {@code hashCode}) by the thread that
     * completes the future, never by the event loop that read it (unless the executor is
     * direct): the thread blocked on the future if there is one, else a task on {@code
     * executor}, which also runs a forward (see {@link #forwardTo}).
     */
    void deliver(EncodedAnswer answer, Executor executor) {
        if (isDone()) {
            // Cancelled or out of time meanwhile: nobody takes the answer, but the references
            // in it are still received (and so given back once unreachable); dropped
            // undecoded, they would stay exported on the peer for the connection's life.
            executor.execute(answer::decode);
            return;
        }
        Object w = WAITER.compareAndExchange(this, null, SETTLED);
        if (w instanceof Forward f) {
            if (answer.decodesWithoutUserCode()) { // a scalar: forwarded from the I/O thread
                answer.decode();
                f.fire(answer.value(), answer.error());
                executor.execute(() -> settle(answer.value(), answer.error()));
                return;
            }
            executor.execute(() -> {
                answer.decode();
                f.fire(answer.value(), answer.error());
                settle(answer.value(), answer.error());
            });
            return;
        }
        if (w instanceof Thread t) {
            handedAnswer = answer;
            if (WAITER.compareAndSet(this, t, HANDED)) {
                LockSupport.unpark(t);
                return;
            }
            handedAnswer = null; // the waiter stopped waiting in between
        }
        executor.execute(answer.completing(this)); // decodes, then settles this future
    }

    /**
     * Completes this future with an ANSWER whose value is still in {@code body} (positioned at
     * the value, owned, with a pin on {@code from}'s export table), as {@link
     * #deliver(EncodedAnswer, Executor)} does, without an {@link EncodedAnswer}: a call sent by
     * {@code from} (see {@link #sentAs}) keeps the body itself, and is itself the executor's
     * task. Anything else (another broker's request, a forward, a future already done) goes the
     * general way.
     */
    void deliverAnswer(Broker from, ByteBuf body, Executor executor) {
        if (owner != from || isDone()) {
            deliver(new EncodedAnswer(from, body, null), executor);
            return;
        }
        Object w = WAITER.compareAndExchange(this, null, SETTLED);
        if (w instanceof Thread t) {
            handedBody = body;
            if (WAITER.compareAndSet(this, t, HANDED)) {
                LockSupport.unpark(t);
                return;
            }
            // the waiter stopped waiting in between (waiter is SETTLED): to the executor
        } else if (w instanceof Forward) { // set meanwhile: the general way
            deliver(new EncodedAnswer(from, body, null), executor);
            return;
        } // else null (now SETTLED) or SETTLED already (a waiter gave up): to the executor
        handedBody = body;
        executor.execute(this); // run(): decodes, then settles this future
    }

    /**
     * jpb's own task, not the application's: decodes the answer {@link #deliverAnswer} gave this
     * future and completes it. Does nothing when there is none (it ran already, or none came).
     */
    @Override
    public void run() {
        ByteBuf body = handedBody;
        if (body != null) {
            handedBody = null;
            settleFrom(body);
        }
    }

    private void settleFrom(ByteBuf body) {
        Object value = null;
        Throwable failure = null;
        try {
            value = EncodedAnswer.decodeValue(owner, body);
        } catch (dev.jpb.PbException e) {
            failure = e; // an answer this end cannot decode fails that call, locally
        }
        settle(value, failure);
    }

    /** Makes {@code cancel} tell {@code broker}'s peer that call {@code id} is cancelled. */
    void sentAs(Broker broker, long id) {
        this.requestId = id;
        this.owner = broker;
    }

    /** Has {@code m} (null: metrics off) end this call's metrics when it completes. */
    void metered(MeteredCall m) {
        metered = m;
    }

    /**
     * Its answer (or error answer) was read at {@code read}'s time: the end of its latency, the
     * clock read once for all the answers of that read. Before {@link #deliver}, on the event
     * loop.
     */
    void arrived(ReadTime read) {
        MeteredCall m = metered;
        if (m != null) { // else metrics off, or a cancel ended them meanwhile
            m.arrived(read.now());
        }
    }

    /**
     * Ends this call's metrics, before the future completes: its callbacks are not timed, and
     * whoever sees it done sees it counted. Once: the first completion to come takes them (a
     * complete that then loses to a concurrent cancel has counted the answer it brought).
     */
    private void endMetrics(Throwable error) {
        if (metered != null && !isDone()) { // plain read first: metrics off cost nothing more
            MeteredCall m = (MeteredCall) METERED.getAndSet(this, null);
            if (m != null) {
                m.end(error);
            }
        }
    }

    /** Sets the timer of this call's deadline, stopped when the future completes. */
    void timer(java.util.concurrent.Future<?> deadlineTimer) {
        this.timer = deadlineTimer;
        if (isDone()) {
            deadlineTimer.cancel(false);
        }
    }

    private void stopTimer() {
        java.util.concurrent.Future<?> t = timer;
        if (t != null) {
            timer = null;
            t.cancel(false);
        }
    }

    /** Completes this future with {@code value}, or with {@code error} if it is not null. */
    @SuppressWarnings("unchecked")
    void settle(Object value, Throwable error) {
        if (error != null) {
            completeExceptionally(error);
        } else {
            complete((T) value);
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            refuseToBlockAnEventLoop();
            SerialExecutor.releaseCurrentTurn();
            awaitAnswer(true, false, 0);
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (isDone()) {
            return super.get();
        }
        long nanos = unit.toNanos(timeout);
        if (nanos <= 0) {
            // a poll, which never waits: fine on any thread, and no turn to give up
            return super.get(0, TimeUnit.NANOSECONDS);
        }
        refuseToBlockAnEventLoop();
        SerialExecutor.releaseCurrentTurn();
        long deadline = System.nanoTime() + nanos;
        awaitAnswer(true, true, deadline);
        return super.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    public T join() {
        if (!isDone()) {
            refuseToBlockAnEventLoop();
            SerialExecutor.releaseCurrentTurn();
            try {
                awaitAnswer(false, false, 0);
            } catch (InterruptedException e) {
                throw new AssertionError(e); // not interruptible: never thrown
            }
        }
        return super.join();
    }

    /**
     * What blocking on a jpb future that is not done does first: refuses an event loop (see
     * {@link #refuseToBlockAnEventLoop}), then gives up the current serial turn, if any.
     */
    static void beforeBlocking() {
        refuseToBlockAnEventLoop();
        SerialExecutor.releaseCurrentTurn();
    }

    /**
     * Throws if the current thread is a Netty event loop (as Netty's own promises do): parking it
     * would stop the reading of the answer if the loop serves this call's connection, and stall
     * every other connection on it. {@code ThreadExecutorMap} names the loop a thread runs for;
     * it is null on every other thread, the default executor's included. Also throws on a
     * thread marked with {@link NonBlockingThread#markCurrent}.
     */
    private static void refuseToBlockAnEventLoop() {
        if (ThreadExecutorMap.currentExecutor() instanceof EventLoop) {
            throw new BlockingCallException("blocking on a jpb call from an I/O thread ("
                    + Thread.currentThread().getName() + ") would deadlock: this code runs on a"
                    + " Netty event loop, as it does when the executor is direct (Runnable::run);"
                    + " compose with thenApply/thenCompose, return the future from the remote_"
                    + " method, or use a non-direct executor");
        }
        NonBlockingThread.refuseToBlock(); // a thread the application marked, e.g. a UI's
    }

    /**
     * Waits, as the thread the answer is handed to, until the answer or another completion comes
     * (or the deadline passes, or an interrupt if {@code interruptible}), then completes this
     * future if it was handed the answer. Returns at once if another thread already waits or the
     * answer went elsewhere; the caller's {@code super.get} then waits as usual.
     */
    private void awaitAnswer(boolean interruptible, boolean timed, long deadline)
            throws InterruptedException {
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, null, me)) {
            return;
        }
        boolean interrupted = false;
        try {
            while (waiter == me && !isDone()) {
                if (!timed) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible) {
                        break;
                    }
                }
            }
        } finally {
            if (!WAITER.compareAndSet(this, me, SETTLED)) {
                // it was handed to this thread: decode (if need be) and complete here
                EncodedAnswer answer = handedAnswer;
                ByteBuf body = handedBody;
                if (body != null) {
                    handedBody = null;
                    settleFrom(body);
                } else if (answer != null) {
                    handedAnswer = null;
                    answer.decode();
                    settle(answer.value(), answer.error());
                } else {
                    settle(handedValue, handedError);
                    handedValue = null;
                    handedError = null;
                }
            }
        }
        if (interrupted) {
            if (interruptible && !isDone()) {
                throw new InterruptedException();
            }
            me.interrupt();
        }
    }

    // Completions from elsewhere (cancel, orTimeout, completeOnTimeout, the application) wake the
    // waiting thread, which then returns the result through super.get.

    @Override
    public boolean complete(T value) {
        endMetrics(null);
        boolean changed = super.complete(value);
        wakeWaiter();
        if (changed) {
            stopTimer();
        }
        return changed;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        endMetrics(ex);
        boolean changed = super.completeExceptionally(ex);
        wakeWaiter();
        if (changed) {
            stopTimer();
        }
        return changed;
    }

    /**
     * Cancels this future; for a call's own future, the callee is told too (docs/protocol.md
     * §14.2) and its late answer is dropped.
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (metered != null) {
            endMetrics(new CancellationException("cancelled"));
        }
        boolean changed = super.cancel(mayInterruptIfRunning);
        wakeWaiter();
        if (changed) {
            stopTimer();
            Broker b = owner;
            if (b != null) {
                b.cancelled(requestId);
            }
        }
        return changed;
    }

    @Override
    public void obtrudeValue(T value) {
        super.obtrudeValue(value);
        wakeWaiter();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        super.obtrudeException(ex);
        wakeWaiter();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        // CompletableFuture's own completeAsync completes without calling complete().
        executor.execute(() -> {
            try {
                complete(supplier.get());
            } catch (Throwable t) {
                completeExceptionally(t);
            }
        });
        return this;
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier) {
        return completeAsync(supplier, defaultExecutor());
    }

    /** The broker's forwarding of a call's answer: runs once, whoever comes first. */
    private static final class Forward extends AtomicBoolean {
        private final BiConsumer<Object, Throwable> action;

        Forward(BiConsumer<Object, Throwable> action) {
            this.action = action;
        }

        void fire(Object value, Throwable error) {
            if (compareAndSet(false, true)) {
                try {
                    action.accept(value, error);
                } catch (RuntimeException e) {
                    Broker.log.error("forwarding an answer failed", e);
                }
            }
        }
    }

    private void wakeWaiter() {
        if (waiter instanceof Thread t) {
            LockSupport.unpark(t);
        }
    }
}
