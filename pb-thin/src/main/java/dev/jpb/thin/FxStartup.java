package dev.jpb.thin;

import static java.util.Objects.requireNonNull;

import dev.jpb.NonBlockingThread;
import dev.jpb.PbException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import javafx.application.Platform;

/**
 * Starts the JavaFX toolkit on a thread of its own, so that a thin client connects, does its
 * TLS handshake and logs in while JavaFX loads (in a fresh JVM both take hundreds of
 * milliseconds). Until the toolkit is up, {@link #executor()} queues what it is given; then it
 * hands everything to the JavaFX Application Thread in the order given. Once per JVM in
 * production ({@link #SHARED}); tests make their own with a starter they hold back.
 * Thread-safe.
 */
final class FxStartup {
    static final String FX_THREAD_ADVICE = "this is the JavaFX Application Thread, where"
            + " the display and pushed controllers run, and every window would stop"
            + " responding; compose instead (server.callRemote(...).thenAccept(answer ->"
            + " ...) or whenComplete): their callbacks run on this thread too";

    /** The JVM's one toolkit start. */
    static final FxStartup SHARED = new FxStartup(FxStartup::startToolkit);

    private final Runnable starter;
    private final List<Runnable> queued = new ArrayList<>(); // guarded by this
    private boolean ready; // guarded by this: the toolkit is up, queued was handed over
    private CompletableFuture<Void> started; // guarded by this: null until start()
    private final Executor executor = this::execute;

    /**
     * Creates a startup that runs {@code starter} (which blocks until JavaFX runs) on a
     * thread of its own when first asked to.
     */
    FxStartup(Runnable starter) {
        this.starter = requireNonNull(starter, "starter");
    }

    /**
     * Starts the toolkit if not yet asked to; returns at once.
     *
     * @return completes once JavaFX runs, or fails as starting it failed (e.g.
     *     {@link UnsupportedOperationException} without a display)
     */
    synchronized CompletableFuture<Void> start() {
        if (started == null) {
            CompletableFuture<Void> up = new CompletableFuture<>();
            started = up;
            Thread t = new Thread(() -> {
                try {
                    starter.run();
                    handOver();
                    up.complete(null);
                } catch (Throwable e) {
                    up.completeExceptionally(e);
                }
            }, "jpb-thin-fx-start");
            // Not a daemon: the JavaFX threads it starts inherit that, and they must keep the
            // jar's JVM alive after main returns (it ends when the user closes the windows).
            t.setDaemon(false);
            t.start();
        }
        return started;
    }

    /**
     * Starts the toolkit if needed and waits until it runs.
     *
     * @throws UnsupportedOperationException if JavaFX cannot open windows here
     * @throws PbException if starting it failed otherwise, or the wait was interrupted
     */
    void awaitStarted() {
        try {
            start().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PbException("cannot start JavaFX: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Returns an executor that runs each task on the JavaFX Application Thread, in the order
     * given; tasks given before the toolkit runs wait for it.
     */
    Executor executor() {
        return executor;
    }

    /** Whether the toolkit runs and the tasks queued before it were handed to it. */
    synchronized boolean isReady() {
        return ready;
    }

    private void execute(Runnable task) {
        requireNonNull(task, "task");
        synchronized (this) {
            if (!ready) {
                queued.add(task);
                return;
            }
        }
        Platform.runLater(task);
    }

    private synchronized void handOver() {
        // under the lock: a task given meanwhile waits, so it runs after these, in order
        for (Runnable task : queued) {
            Platform.runLater(task);
        }
        queued.clear();
        ready = true;
    }

    /** Starts the JavaFX runtime (or finds it running) and marks its thread non-blocking. */
    static void startToolkit() {
        CountDownLatch up = new CountDownLatch(1);
        try {
            Platform.startup(up::countDown);
        } catch (IllegalStateException alreadyRunning) {
            up.countDown();
        }
        try {
            up.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PbException("interrupted while starting JavaFX", e);
        }
        dev.jpb.internal.thin.StepTiming.mark("javafx up");
        Platform.setImplicitExit(false);
        // Pushed code that waits for an answer here would freeze every window: fail fast.
        Platform.runLater(() -> NonBlockingThread.markCurrent(FX_THREAD_ADVICE));
    }
}
