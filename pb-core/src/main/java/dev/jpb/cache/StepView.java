package dev.jpb.cache;

import dev.jpb.RemoteCache;
import dev.jpb.RemoteReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A client's copy of a {@link StepBarrier}: the step the procedure is at. Each step the server
 * announces changes it, in order (its {@link RemoteCache.ChangeListener}s hear of it, and
 * {@link #version()} counts the steps seen); {@link #acknowledge()} tells the server this
 * client has done the step. Thread-safe.
 */
public final class StepView extends RemoteCache {
    private volatile int step;
    private volatile String label;
    private volatile RemoteReference acks;

    /** Creates an empty copy (jpb does, then gives it its state). */
    public StepView() {
    }

    /**
     * Returns the current step (0 before the first).
     *
     * @return the current step (0 before the first)
     */
    public int step() {
        return step;
    }

    /**
     * Returns the current step's label.
     *
     * @return the current step's label
     */
    public String label() {
        return label;
    }

    /**
     * Tells the server this client has done the current step.
     *
     * @return completes once the server has counted it
     */
    public CompletableFuture<Void> acknowledge() {
        return acknowledge(step);
    }

    /**
     * Tells the server this client has done step {@code n} (ignored unless it is current).
     *
     * @param n the step number
     * @return completes once the server has counted it
     */
    public CompletableFuture<Void> acknowledge(int n) {
        return acks.callRemote("ack", n);
    }

    /**
     * Gives the server this client's name, used in {@link StepTimeoutException}.
     *
     * @param name the name
     * @return completes once the server has it
     */
    public CompletableFuture<Void> join(String name) {
        return acks.callRemote("join", name);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void setState(Object state) {
        List<Object> s = (List<Object>) state;
        step = (Integer) s.get(0);
        label = (String) s.get(1);
        acks = (RemoteReference) s.get(2);
        startVersion(step);
    }

    /**
     * Applies the server's announcement. Called by jpb.
     *
     * @param n the step number
     * @param newLabel the step's label
     */
    public void observe_step(int n, String newLabel) {
        label = newLabel;
        step = n;
    }
}
