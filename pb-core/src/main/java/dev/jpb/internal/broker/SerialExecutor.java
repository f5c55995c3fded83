package dev.jpb.internal.broker;

import dev.jpb.internal.logging.LogContext;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.internal.PlatformDependent;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one connection's inbound work one task at a time, in submission order, on a shared
 * executor (PB's ordering guarantee). A task that blocks on a {@link PbFuture} gives up its
 * turn: the next task starts on another thread while it waits, and the blocked one finishes
 * outside the order. When the executor refuses a task (it is shutting down or saturated), the
 * tasks queued are handed to the refusal handler, in order; none is dropped silently and none
 * is run on the submitting thread by this class. Made {@code batched}, a turn scheduled on the
 * connection's event loop reaches the executor together with the other connections' turns of
 * the same loop iteration ({@link LoopBatch}). Thread-safe.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);
    private static final ThreadLocal<Turn> CURRENT = new ThreadLocal<>();
    // The queue's chunk: a queue holds one such array (~150 bytes) while it has no more tasks
    // than this waiting, and links another only when more wait (then one per CHUNK tasks).
    private static final int CHUNK = 32;
    private static final int MAX_QUEUED = 1 << 30; // not a limit in practice: memory runs out

    private final Executor delegate;
    // Any thread adds; only the thread that holds the turn ('scheduled' set by its CAS) takes:
    // a multi-producer single-consumer queue of linked arrays (Netty's, as the Outbox's), which
    // makes no node per task where a ConcurrentLinkedQueue made one per call and per answer.
    private final Queue<Runnable> queue = PlatformDependent.newMpscQueue(CHUNK, MAX_QUEUED);
    private final AtomicBoolean scheduled = new AtomicBoolean();
    // The turn the next drain reuses unless it was given up (guarded by the turn: written by
    // the thread that holds it, published to the next by the 'scheduled' CAS and the executor).
    private Turn spareTurn;
    private final BiConsumer<Runnable, RejectedExecutionException> refused;
    private final Runnable drainTask;
    // The event loop whose turns go to the executor in one batch per loop iteration
    // (LoopBatch); null: each turn is submitted on its own. Written once before publication.
    private final EventLoop batchLoop;
    private volatile Runnable onIdle = () -> { };

    /**
     * @param refused takes each queued task when {@code delegate} refuses to run them, on the
     *     thread that submitted to it; it must not run application code there
     */
    SerialExecutor(Executor delegate, BiConsumer<Runnable, RejectedExecutionException> refused) {
        this.delegate = delegate;
        this.refused = refused;
        this.drainTask = this::drain;
        this.batchLoop = null;
    }

    /**
     * Like {@link #SerialExecutor(Executor, BiConsumer)}, running each turn with the log
     * context of {@code channel}'s connection in the MDC.
     */
    SerialExecutor(Executor delegate, Channel channel,
            BiConsumer<Runnable, RejectedExecutionException> refused) {
        this(delegate, channel, false, refused);
    }

    /**
     * As {@link #SerialExecutor(Executor, Channel, BiConsumer)}; with {@code batched}, a turn
     * scheduled on {@code channel}'s (registered) event loop goes to {@code delegate} together
     * with the turns the other connections of that loop schedule in the same loop iteration,
     * in one task ({@link LoopBatch}), after the iteration.
     */
    SerialExecutor(Executor delegate, Channel channel, boolean batched,
            BiConsumer<Runnable, RejectedExecutionException> refused) {
        this.delegate = delegate;
        this.refused = refused;
        this.drainTask = LogContext.wrap(channel, this::drain);
        this.batchLoop = batched ? channel.eventLoop() : null;
    }

    @Override
    public void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    /**
     * Returns whether no task is queued or running in turn: a task run now on another thread
     * keeps the order. Exact only on the one thread that submits tasks (the event loop).
     */
    boolean isIdle() {
        return !scheduled.get() && queue.isEmpty();
    }

    /**
     * Returns whether tasks wait in the queue (the one running in turn, if any, not counted):
     * more work for this connection is about to run. Any thread.
     */
    boolean hasQueued() {
        return !queue.isEmpty();
    }

    /**
     * Sets what runs, on the thread of the turn, each time a turn finds the queue empty: how
     * the {@link Outbox} learns that the writes it held back can go (see
     * {@link Outbox#producerIdle}). It must be quick and must not throw.
     */
    void onIdle(Runnable onIdle) {
        this.onIdle = onIdle;
    }

    /** Gives up the current thread's turn, if it is running a serial task. */
    static void releaseCurrentTurn() {
        Turn turn = CURRENT.get();
        if (turn != null && !turn.released) {
            turn.released = true;
            turn.owner.scheduled.set(false);
            turn.owner.schedule();
        }
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            if (batchLoop != null && LoopBatch.offer(batchLoop, delegate, this)) {
                return; // submitted after the loop iteration, with its neighbours' turns
            }
            submitTurn();
        }
    }

    /** Submits the turn already scheduled (the flag set) to the executor on its own. */
    void submitTurn() {
        try {
            delegate.execute(drainTask);
        } catch (RejectedExecutionException e) {
            refuseTurn(e);
        }
    }

    /**
     * The executor refused the turn already scheduled: hands the queued tasks to the refusal
     * handler, on this (the submitting) thread.
     */
    void refuseTurn(RejectedExecutionException e) {
        scheduled.set(false);
        Runnable task;
        while ((task = queue.poll()) != null) {
            try {
                refused.accept(task, e);
            } catch (RuntimeException t) {
                log.error("handling a refused connection task failed", t);
            }
        }
        schedule(); // a task added while the queue emptied
    }

    /** Runs the turn already scheduled (the flag set) here: a {@link LoopBatch} runner. */
    void runTurn() {
        drainTask.run();
    }

    private void drain() {
        Turn turn = spareTurn;
        if (turn == null || turn.released) { // a released turn stays with its blocked thread
            turn = new Turn(this);
            spareTurn = turn;
        }
        Turn outer = CURRENT.get();
        CURRENT.set(turn);
        try {
            while (!turn.released) {
                Runnable task = queue.poll();
                if (task == null) {
                    scheduled.set(false);
                    // A task added after the poll but before the flag dropped needs a turn.
                    boolean empty = queue.isEmpty();
                    if (empty || !scheduled.compareAndSet(false, true)) {
                        if (empty) {
                            onIdle.run();
                        }
                        return;
                    }
                    continue;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("uncaught failure in a connection task", t);
                }
            }
        } finally {
            CURRENT.set(outer);
        }
    }

    private static final class Turn {
        final SerialExecutor owner;
        boolean released; // touched only by the thread running this turn

        Turn(SerialExecutor owner) {
            this.owner = owner;
        }
    }
}
