package dev.jpb;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.cache.CacheSecrets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side's copy of a {@link Cacheable} (PB's {@code RemoteCache}). The receiver
 * registers a factory for it ({@code registerCache(TheirCacheable.class, MyCopy::new)}); jpb
 * makes one copy per cacheable and connection, calls {@link #setState} once with the owner's
 * {@link Cacheable#stateFor state}, and only then hands the copy to application code. Receiving
 * the same cacheable again yields the same instance; sending the copy back to its owner
 * delivers the original cacheable there.
 *
 * <p>The owner's updates run the copy's public {@code observe_<name>} methods, one at a time,
 * in the order sent, on the receiver's executor (like {@code remote_} methods; one marked
 * {@link NonBlocking} runs on the I/O thread when the connection has no earlier work waiting).
 * After each one the copy's {@link #version()} goes up by one and its {@link ChangeListener}s
 * run on the same thread. Reads from other threads need the subclass's own guard.
 *
 * <p>When the copy becomes unreachable, or {@link #release()} is called, the owner is told
 * (its {@code stoppedObserving} runs) and updates stop.
 */
public abstract class RemoteCache {
    private static final Logger log = LoggerFactory.getLogger(RemoteCache.class);

    static {
        CacheSecrets.setCopies(new CacheSecrets.Copies() {
            @Override
            public void bind(RemoteCache copy, Object link) {
                copy.link = link;
            }

            @Override
            public Object link(RemoteCache copy) {
                return copy.link;
            }

            @Override
            public void setState(RemoteCache copy, Object state) {
                copy.setState(state);
            }

            @Override
            public void updated(RemoteCache copy, String update) {
                copy.updated(update);
            }
        });
    }

    private volatile Object link; // written once, before the copy is handed out
    private volatile long version; // written by the one thread applying updates
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();

    /** Creates a copy; jpb calls the registered factory, which calls this. */
    protected RemoteCache() {
    }

    /**
     * Takes the owner's initial state. Runs once, before any update and before any application
     * code sees this copy, on the thread decoding it (never an I/O thread unless the executor
     * is direct).
     *
     * @param state what the owner's {@link Cacheable#stateFor} returned (decoded)
     */
    protected abstract void setState(Object state);

    /**
     * Sets the version the copy starts at, for a state that carries its owner's version (so
     * that {@link #version()} matches the owner's count of changes). Call it from
     * {@link #setState}; by default a copy starts at 0.
     *
     * @param start the version of the state
     */
    protected final void startVersion(long start) {
        this.version = start;
    }

    /**
     * Returns how many updates this copy has applied, counted from its start version: each
     * {@code observe_} call adds one. An owner that counts its changes the same way can
     * compare, and so tell that the copy saw every change.
     *
     * @return the number of updates applied, from the start version
     */
    public final long version() {
        return version;
    }

    /**
     * Adds a listener run after each update this copy applies (on the updating thread).
     *
     * @param listener the listener
     */
    public final void addChangeListener(ChangeListener listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    /**
     * Removes a listener added with {@link #addChangeListener}.
     *
     * @param listener the listener
     */
    public final void removeChangeListener(ChangeListener listener) {
        listeners.remove(listener);
    }

    /**
     * Drops this copy now instead of waiting for the garbage collector: the owner's
     * {@code stoppedObserving} runs and updates stop. Sending the copy afterwards fails with
     * {@link DeadReferenceException}. Idempotent.
     */
    public final void release() {
        Object l = link;
        if (l != null) {
            CacheSecrets.release(l);
        }
    }

    /**
     * Returns whether this copy still receives updates: not released, connection open.
     *
     * @return whether this copy still receives updates: not released, connection open
     */
    public final boolean isObserved() {
        Object l = link;
        return l != null && CacheSecrets.isLive(l);
    }

    private void updated(String update) {
        long v = ++version;
        if (listeners.isEmpty()) {
            return; // no iterator per update for a copy nobody listens to
        }
        for (ChangeListener listener : listeners) {
            try {
                listener.changed(this, update, v);
            } catch (RuntimeException e) {
                log.error("change listener of {} threw", this, e);
            }
        }
    }

    /** Told after each update of a {@link RemoteCache}. */
    @FunctionalInterface
    public interface ChangeListener {
        /**
         * Runs after the copy applied one update.
         *
         * @param copy the copy
         * @param update the update's name (the method without {@code observe_})
         * @param version the copy's {@link RemoteCache#version()} after it
         */
        void changed(RemoteCache copy, String update, long version);
    }
}
