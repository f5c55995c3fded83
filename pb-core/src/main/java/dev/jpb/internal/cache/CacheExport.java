package dev.jpb.internal.cache;

import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.Cacheable;
import dev.jpb.Connection;
import dev.jpb.Observer;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One cacheable as exported over one connection: its entry in the connection's export table
 * (so DECREF gives its copy's receipts back and YOURS finds it, as for any reference) and the
 * {@link Observer} its owner updates the copy through. Has no {@code remote_} methods. The
 * owner-facing methods are thread-safe; the rest runs on the event loop.
 */
public final class CacheExport extends Referenceable implements Observer {
    private static final Object[] NO_ARGS = new Object[0];

    private final CacheSession session;
    private final Cacheable cacheable;
    // Written by the executor thread running stateFor, read on the loop after the hand-off
    // (an event-loop task publishes them).
    Object state;
    boolean stateReady;
    PbException failure; // stateFor threw, or its state could not be sent
    private boolean sent; // guarded by the event loop: the CACHE frame was written
    private long id; // guarded by the event loop: the export id once sent
    private volatile boolean observing = true;
    private final AtomicBoolean stateAsked = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();

    CacheExport(CacheSession session, Cacheable cacheable) {
        this.session = session;
        this.cacheable = cacheable;
    }

    /** Returns the cacheable (what a YOURS naming this entry decodes as). */
    public Cacheable cacheable() {
        return cacheable;
    }

    CacheSession session() {
        return session;
    }

    boolean isSent() {
        return sent;
    }

    long id() {
        return id;
    }

    void markSent(long exportId) {
        assert session.link().inEventLoop();
        this.sent = true;
        this.id = exportId;
        this.state = null; // on the wire now; don't keep it
    }

    /** Marks that stateFor is being called: stoppedObserving is owed from now on. */
    void markStateAsked() {
        stateAsked.set(true);
    }

    @Override
    public void callRemote(String name, Object... args) {
        requireNonNull(name, "name");
        if (!observing) {
            CacheSession.log.debug("{}: update observe_{} dropped: the copy is gone", this, name);
            return;
        }
        session.link().enqueue(new ObserveFrame(this, name, args == null ? NO_ARGS : args,
                null));
    }

    /**
     * Sends one update of many observers (see {@link SharedUpdate}); the drain it needs goes to
     * {@code drains}.
     */
    void callRemote(SharedUpdate update, DrainBatch drains) {
        if (!observing) {
            CacheSession.log.debug("{}: update observe_{} dropped: the copy is gone", this,
                    update.method);
            return;
        }
        session.link().enqueue(new ObserveFrame(this, update.method, update.args, update),
                drains);
    }

    @Override
    public Connection connection() {
        return session.link().connection();
    }

    @Override
    public Optional<Avatar> avatar() {
        return Optional.ofNullable(session.link().avatar());
    }

    @Override
    public Optional<String> avatarId() {
        return Optional.ofNullable(session.link().avatarId());
    }

    @Override
    public boolean isObserving() {
        return observing;
    }

    /**
     * Told by the export table that the last receipt came back (or the table was dropped): the
     * copy is gone. Ignored before the CACHE frame was written (a rolled-back attempt).
     */
    public void unexported() {
        if (sent) {
            session.removed(this);
        }
    }

    /** Ends observing; the owner's stoppedObserving runs once, if stateFor was called. */
    void stop() {
        observing = false;
        if (stopped.compareAndSet(false, true) && stateAsked.get()) {
            session.link().runUserCode(
                    () -> CacheSecrets.cacheables().stoppedObserving(cacheable, this),
                    "stoppedObserving");
        }
    }

    @Override
    public String toString() {
        return "Observer[" + cacheable.getClass().getName() + " on " + session.link().connection()
                + "]";
    }
}
