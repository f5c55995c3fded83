package dev.jpb.internal.twisted;

import dev.jpb.BlockingCallException;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * The future of one call. When its answer arrives while a thread is blocked in {@code get}
 * or {@code join} on it, that thread itself decodes the answer and completes the future (one
 * thread wake-up, no hand-off to the executor); otherwise the answer is decoded and the future
 * completed on the connection's answer lane. Either way no user code runs on an I/O thread.
 */
final class AnswerFuture<T> extends CompletableFuture<T> {
    private final BiConsumer<CompletableFuture<T>, List<?>> completer;
    private final EventLoop loop;
    private List<?> arrived;    // guarded by "this"
    private int waiters;        // guarded by "this"
    private boolean hooked;     // guarded by "this"

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
    synchronized boolean offer(List<?> message) {
        if (waiters == 0) {
            return false;
        }
        arrived = message;
        notifyAll();
        return true;
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        await(-1);
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!await(Math.max(0, unit.toNanos(timeout)))) {
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
                await(-1);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return super.join();
    }

    /** Waits until done or an answer arrives (which it then completes); false on timeout. */
    private boolean await(long nanos) throws InterruptedException {
        if (isDone() || nanos == 0) {
            return isDone();
        }
        if (loop != null && loop.inEventLoop()) {
            throw new BlockingCallException("a Twisted PB call's future was waited for on the "
                    + "connection's I/O thread, which must read its answer: compose with "
                    + "thenApply/thenCompose, return the future, or drop @NonBlocking or the "
                    + "direct executor");
        }
        List<?> mine;
        InterruptedException interrupted = null;
        synchronized (this) {
            if (!hooked) {
                hooked = true;
                whenComplete((v, t) -> wake());
            }
            waiters++;
            long deadline = System.nanoTime() + nanos;
            try {
                while (arrived == null && !isDone()) {
                    if (nanos < 0) {
                        wait();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    }
                }
            } catch (InterruptedException e) {
                interrupted = e;
            } finally {
                waiters--;
                mine = arrived;
                arrived = null;
            }
        }
        if (mine != null) {
            completer.accept(this, mine);
        }
        if (interrupted != null) {
            throw interrupted;
        }
        return isDone();
    }

    private synchronized void wake() {
        notifyAll();
    }
}
