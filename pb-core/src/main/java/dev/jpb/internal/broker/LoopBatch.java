package dev.jpb.internal.broker;

import io.netty.channel.EventLoop;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers the turns that {@link SerialExecutor}s schedule on one event loop during one loop
 * iteration (the frames of many connections read in one go, e.g. one cache update to a hundred
 * copies) and hands them to their shared executor in two tasks, not one per connection: the
 * iteration's first turn at once (a lone call, W1's, starts while the loop finishes its
 * iteration instead of after it), the turns after it as one task after the iteration. Two
 * queue hand-offs and at most two wake-ups of pool threads instead of one each per connection.
 *
 * <p>The task ({@link Run}) runs the turns one after another, each one connection's drain as
 * {@link SerialExecutor} runs it (in order, one at a time per connection). So that a turn that
 * blocks (user code in an {@code observe_} or {@code remote_} method) does not stall the other
 * connections of the batch, a runner that takes a turn while others wait first makes sure that
 * one more runner of the batch is queued on the executor; that runner takes the turns left.
 * With a pool of k threads an iteration's turns thus cost at most k + 2 submissions, however
 * many connections they come from, and no connection waits behind another's blocked turn
 * longer than it would wait for a free pool thread. Used on the event loop only.
 */
final class LoopBatch {
    // The batches of this event loop thread, one per executor with turns waiting in this
    // iteration (usually one); a submitted batch forgets its executor (a closed client's is not
    // kept) and is reused: no object per loop iteration for a lone turn (W1's calls).
    private static final FastThreadLocal<List<LoopBatch>> BATCHES = new FastThreadLocal<>() {
        @Override
        protected List<LoopBatch> initialValue() {
            return new ArrayList<>(2);
        }
    };

    // The executor the turns go to; null while the batch is idle. Guarded by the event loop.
    private Executor delegate;
    private final List<SerialExecutor> ready = new ArrayList<>(); // guarded by the event loop
    private final Runnable submit = this::submit;

    /**
     * Adds {@code serial}'s turn (already scheduled: its flag set) to this iteration's batch of
     * {@code delegate} on {@code loop}; returns false when the turn must be submitted directly:
     * the first turn for {@code delegate} in this iteration (which opens the batch for the turns
     * after it), or not an event loop that runs tasks after its iterations, or stopping. Call on
     * {@code loop}.
     */
    static boolean offer(EventLoop loop, Executor delegate, SerialExecutor serial) {
        if (!(loop instanceof SingleThreadEventLoop single) || !loop.inEventLoop()) {
            return false;
        }
        List<LoopBatch> batches = BATCHES.get(); // this thread's: the one loop it runs
        LoopBatch batch = null;
        LoopBatch idle = null;
        for (int i = 0; i < batches.size(); i++) {
            LoopBatch b = batches.get(i);
            if (b.delegate == delegate) {
                batch = b;
                break;
            }
            if (b.delegate == null && idle == null) {
                idle = b;
            }
        }
        if (batch == null) {
            try {
                batch = idle != null ? idle : new LoopBatch();
                single.executeAfterEventLoopIteration(batch.submit);
            } catch (RejectedExecutionException e) {
                return false; // the loop is stopping: submit directly
            }
            if (batch != idle) {
                batches.add(batch);
            }
            batch.delegate = delegate;
            // The iteration's first turn for this executor goes at once: a lone call (W1's)
            // starts while the loop finishes its iteration rather than after it. The turns
            // that follow it in this iteration wait for the batch.
            return false;
        }
        batch.ready.add(serial);
        return true;
    }

    // After the loop iteration, on the loop: one task for every turn gathered.
    private void submit() {
        Executor delegate = this.delegate;
        this.delegate = null; // idle: reused for the next executor with turns waiting
        int n = ready.size();
        if (n == 0) {
            return;
        }
        if (n == 1) {
            SerialExecutor only = ready.get(0);
            ready.clear();
            only.submitTurn();
            return;
        }
        Run run = new Run(delegate, ready.toArray(new SerialExecutor[n]));
        ready.clear();
        try {
            delegate.execute(run);
        } catch (RejectedExecutionException e) {
            for (SerialExecutor s : run.turns) {
                s.refuseTurn(e);
            }
        }
    }

    /** One batch's turns, taken by one runner or several (the same object queued again). */
    static final class Run implements Runnable {
        private final Executor delegate;
        final SerialExecutor[] turns; // written once before publication
        private final AtomicInteger next = new AtomicInteger();
        // Whether a runner of this batch waits in the executor's queue, not yet started.
        private final AtomicBoolean runnerQueued = new AtomicBoolean(true);
        // The thread queueing a helper now: if the executor runs it right there (a direct
        // executor), the helper returns at once and this runner takes every turn, rather than
        // each turn nesting one more helper on the stack.
        private volatile Thread queueing;

        Run(Executor delegate, SerialExecutor[] turns) {
            this.delegate = delegate;
            this.turns = turns;
        }

        @Override
        public void run() {
            if (queueing == Thread.currentThread()) {
                return; // run inline by the executor: the runner below us takes the turns
            }
            runnerQueued.set(false);
            int i;
            while ((i = next.getAndIncrement()) < turns.length) {
                if (i + 1 < turns.length && runnerQueued.compareAndSet(false, true)) {
                    // Turns wait behind this one, which may block: someone must take them.
                    Thread me = Thread.currentThread();
                    queueing = me;
                    try {
                        delegate.execute(this);
                    } catch (RejectedExecutionException e) {
                        runnerQueued.set(false); // this runner takes them all then
                    } finally {
                        if (queueing == me) {
                            queueing = null;
                        }
                    }
                }
                turns[i].runTurn();
            }
        }

        @Override
        public String toString() {
            return "the turns of " + turns.length + " connections read in one loop iteration";
        }
    }
}
