package dev.jpb.internal.cache;

import dev.jpb.internal.transport.Transport;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection's copy work (building copies, applying updates), one task at a time in
 * arrival order, on the application's executor; jpb's fallback threads if it refuses.
 * Thread-safe.
 */
final class ObserveQueue {
    private final Executor executor;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    ObserveQueue(Executor executor) {
        this.executor = executor;
    }

    void execute(Runnable task) {
        queue.add(task);
        schedule();
    }

    private void schedule() {
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(drain);
            } catch (RejectedExecutionException e) {
                CacheSession.log.warn("the executor refused copy updates ({}); running them on"
                        + " jpb's fallback threads", e.toString());
                Transport.fallbackExecutor().execute(drain);
            }
        }
    }

    private void drain() {
        while (true) {
            Runnable task = queue.poll();
            if (task == null) {
                scheduled.set(false);
                if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                CacheSession.log.error("uncaught failure in a copy update", t);
            }
        }
    }
}
