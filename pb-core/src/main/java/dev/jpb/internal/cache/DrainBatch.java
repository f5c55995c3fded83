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
    private final List<Executor> loops = new ArrayList<>(4);
    private final List<List<Runnable>> drains = new ArrayList<>(4);
    private int last = -1; // the loop added to last: observers often come grouped by loop

    /**
     * Adds {@code drain}, owed to an outbox of {@code loop}, to run in that loop's task. The
     * outbox has marked its drain scheduled: until {@link #run}, what others queue there waits.
     */
    public void add(Executor loop, Runnable drain) {
        int i = last >= 0 && loops.get(last) == loop ? last : loops.indexOf(loop);
        if (i < 0) {
            i = loops.size();
            loops.add(loop);
            drains.add(new ArrayList<>());
        }
        last = i;
        drains.get(i).add(drain);
    }

    /** Starts every loop's task (dropped, with a debug line, where the loop has stopped). */
    public void run() {
        for (int i = 0; i < loops.size(); i++) {
            List<Runnable> owed = drains.get(i);
            try {
                loops.get(i).execute(owed.size() == 1 ? owed.get(0) : () -> runAll(owed));
            } catch (RejectedExecutionException e) {
                // The loop is gone, so are its channels: their close fails what waits.
                CacheSession.log.debug("event loop stopped; {} drains dropped", owed.size());
            }
        }
        loops.clear();
        drains.clear();
        last = -1;
    }

    private static void runAll(List<Runnable> owed) {
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
