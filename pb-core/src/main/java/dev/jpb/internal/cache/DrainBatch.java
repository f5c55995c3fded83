package dev.jpb.internal.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The outbox drains one update to many observers owes, gathered per event loop while the update
 * is queued on each connection, then started as one task per event loop ({@link #run}) rather
 * than one per connection: a loop with many observers' connections wakes once and writes (and
 * flushes) each of them in turn. A connection's order is its outbox's queue, which this does
 * not touch: the update is queued there as always, and a connection whose drain was already
 * scheduled (work pending) is drained by that task, not this batch. Used by one thread.
 */
public final class DrainBatch {
    // One batch per thread, kept with its lists' capacity: an update to 10,000 observers does
    // not grow lists again each time. Taken while in use (an observer's callRemote may send
    // another update), a fresh batch is made.
    private static final ThreadLocal<DrainBatch> SPARE = new ThreadLocal<>();

    private final List<Executor> loops = new ArrayList<>(4);
    private final List<List<Runnable>> drains = new ArrayList<>(4);
    private int used; // loops (and their lists) of this round; the lists past it are spares
    private int last = -1; // the loop added to last: observers often come grouped by loop

    /** Returns this thread's spare batch (it is the caller's until {@link #giveBack}). */
    static DrainBatch take() {
        DrainBatch b = SPARE.get();
        if (b == null) {
            return new DrainBatch();
        }
        SPARE.set(null);
        return b;
    }

    /** Makes this (run) batch the thread's spare again. */
    void giveBack() {
        SPARE.set(this);
    }

    /**
     * Adds {@code drain}, owed to an outbox of {@code loop}, to run in that loop's task. The
     * outbox has marked its drain scheduled: until {@link #run}, what others queue there waits.
     */
    public void add(Executor loop, Runnable drain) {
        int i = last >= 0 && loops.get(last) == loop ? last : indexOf(loop);
        if (i < 0) {
            i = used++;
            if (i < loops.size()) {
                loops.set(i, loop);
            } else {
                loops.add(loop);
                drains.add(new ArrayList<>());
            }
        }
        last = i;
        drains.get(i).add(drain);
    }

    private int indexOf(Executor loop) {
        for (int i = 0; i < used; i++) {
            if (loops.get(i) == loop) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Starts every loop's task (dropped, with a debug line, where the loop has stopped) and
     * empties the batch.
     */
    public void run() {
        for (int i = 0; i < used; i++) {
            List<Runnable> owed = drains.get(i);
            Executor loop = loops.get(i);
            loops.set(i, null);
            try {
                if (owed.size() == 1) {
                    Runnable drain = owed.get(0);
                    owed.clear();
                    loop.execute(drain);
                } else {
                    Runnable[] all = owed.toArray(new Runnable[0]);
                    owed.clear(); // keeps its capacity for the next update
                    loop.execute(() -> runAll(all));
                }
            } catch (RejectedExecutionException e) {
                // The loop is gone, so are its channels: their close fails what waits.
                CacheSession.log.debug("event loop stopped; its drains dropped");
            }
        }
        used = 0;
        last = -1;
    }

    private static void runAll(Runnable[] owed) {
        for (Runnable drain : owed) {
            try {
                drain.run();
            } catch (RuntimeException e) {
                // One connection's failure must not leave the others' updates unwritten.
                CacheSession.log.error("outbox drain failed", e);
            }
        }
    }
}
