package dev.jpb.internal.twisted;

import dev.jpb.BlockingCallException;
import io.netty.channel.EventLoop;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * The future of one call. When its answer arrives while a thread is blocked in {@code get}
 * or {@code join} on it, that thread itself decodes the answer and completes the future (one
 * thread wake-up, no hand-off to the executor); otherwise the answer is decoded and the future
 * completed on the connection's answer lane. Either way no user code runs on an I/O thread.
 *
 * <p>The hand-off is a compare-and-set on {@code waiter} and a park/unpark, like jpb's own
 * {@code PbFuture}: no monitor is taken (a monitor waited on is inflated, once per call) and no
 * completion callback is registered. One thread at a time can take the answer; any further
 * waiter waits for the completion as on a plain {@link CompletableFuture}.
 */
final class AnswerFuture<T> extends CompletableFuture<T> {
    // 'waiter': null (nobody waits yet), a Thread (it waits for the answer), HANDED (the answer
    // is in 'handed' for that thread), or SETTLED (no hand-off any more: the answer went to the
    // lane, or the waiter stopped waiting).
    private static final Object HANDED = new Object();
    private static final Object SETTLED = new Object();
    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(AnswerFuture.class, "waiter",
                    Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BiConsumer<CompletableFuture<T>, List<?>> completer;
    private final EventLoop loop;
    private volatile Object waiter;
    private List<?> handed; // published by the CAS to HANDED

    /**
     * Creates the future.
     *
     * @param completer decodes an answer or error message and completes the future given
     * @param loop      the connection's I/O thread, which must never wait for an answer
     */
    AnswerFuture(BiConsumer<CompletableFuture<T>, List<?>> completer, EventLoop loop) {
        this.completer = completer;
        this.loop = loop;
    }

    /**
     * Hands an arrived answer to a blocked waiter, if there is one.
     *
     * @return whether a waiter took it (else the caller completes the future elsewhere)
     */
    boolean offer(List<?> message) {
        while (true) {
            Object w = waiter;
            if (w instanceof Thread t) {
                handed = message;
                if (WAITER.compareAndSet(this, t, HANDED)) {
                    LockSupport.unpark(t);
                    return true;
                }
            } else if (w == null) {
                if (WAITER.compareAndSet(this, null, SETTLED)) {
                    return false;
                }
            } else {
                return false;
            }
        }
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            await(-1); // done when it returns true; else the plain future is waited for
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        long nanos = Math.max(0, unit.toNanos(timeout));
        if (!isDone() && nanos > 0 && !await(nanos)) {
            return super.get(timeout, unit);
        }
        if (!isDone()) {
            throw new TimeoutException("no answer within " + timeout + " " + unit);
        }
        return super.get();
    }

    @Override
    public T join() {
        if (isDone()) {
            return super.join();
        }
        boolean interrupted = false;
        while (!isDone()) {
            try {
                if (!await(-1)) {
                    break; // another thread takes the hand-off: wait for the completion
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return super.join();
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        wakeWaiter();
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean done = super.cancel(mayInterruptIfRunning);
        wakeWaiter();
        return done;
    }

    private void wakeWaiter() {
        if (waiter instanceof Thread t) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Waits until done, an answer is handed over (which it then completes) or the time is up.
     *
     * @param nanos how long at most, or negative for no limit
     * @return false if this thread cannot take the hand-off (another waits, or the answer went
     *         to the lane): the caller then waits on the plain future; true otherwise
     * @throws InterruptedException if interrupted while waiting (the hand-off is given up)
     */
    private boolean await(long nanos) throws InterruptedException {
        if (loop != null && loop.inEventLoop()) {
            throw new BlockingCallException("a Twisted PB call's future was waited for on the "
                    + "connection's I/O thread, which must read its answer: compose with "
                    + "thenApply/thenCompose, return the future, or drop @NonBlocking or the "
                    + "direct executor");
        }
        Thread me = Thread.currentThread();
        if (!WAITER.compareAndSet(this, null, me)) {
            return waiter == HANDED ? takeHanded() : false;
        }
        long deadline = nanos < 0 ? 0 : System.nanoTime() + nanos;
        boolean interrupted = false;
        while (waiter == me && !isDone()) {
            if (nanos < 0) {
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
                break;
            }
        }
        if (!WAITER.compareAndSet(this, me, SETTLED)) {
            takeHanded(); // handed over while giving up: complete it here, nothing is lost
        }
        if (interrupted) {
            throw new InterruptedException();
        }
        return true;
    }

    /** Completes the future from the answer handed to this thread. */
    private boolean takeHanded() {
        if (!WAITER.compareAndSet(this, HANDED, SETTLED)) {
            return false;
        }
        List<?> message = handed;
        handed = null;
        completer.accept(this, message);
        return true;
    }
}
