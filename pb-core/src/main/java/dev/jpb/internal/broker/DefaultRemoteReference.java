package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.DeadReferenceException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.proxy.TypedProxies;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The proxy for one of the peer's objects on one connection. Thread-safe. */
final class DefaultRemoteReference implements RemoteReference {
    private static final Object[] NO_ARGS = new Object[0];

    private final Broker broker;
    private final ImportTable.Entry entry;
    private final long id;
    private volatile boolean released;
    private volatile List<Consumer<? super RemoteReference>> listeners; // written under this

    DefaultRemoteReference(Broker broker, ImportTable.Entry entry) {
        this.broker = broker;
        this.entry = entry;
        this.id = entry.id;
    }

    long id() {
        return id;
    }

    ImportTable.Entry entry() {
        return entry;
    }

    /** Returns whether the release took effect in send order: sending it now is refused. */
    boolean isGoneOnTheWire() {
        return entry.isGone();
    }

    Broker broker() {
        return broker;
    }

    boolean isReleased() {
        return released;
    }

    void setReleased() {
        released = true;
    }

    @Override
    public <T> CompletableFuture<T> callRemote(String name, Object... args) {
        return callRemote(name, args, Deadlines.NONE);
    }

    <T> CompletableFuture<T> callRemote(String name, Object[] args, long timeoutNanos) {
        if (released) {
            return PbFutures.failed(new DeadReferenceException(
                    "remote reference " + id + " was released; calls through it are refused"));
        }
        return broker.call(id, name, args == null ? NO_ARGS : args, true, timeoutNanos);
    }

    @Override
    public void callRemoteOnly(String name, Object... args) {
        callRemoteOnly(name, args, Deadlines.NONE);
    }

    void callRemoteOnly(String name, Object[] args, long timeoutNanos) {
        if (released) {
            Broker.log.warn("callRemoteOnly({}) on released reference {} dropped", name, id);
            return;
        }
        broker.call(id, name, args == null ? NO_ARGS : args, false, timeoutNanos);
    }

    @Override
    public RemoteReference withTimeout(Duration timeout) {
        return new DeadlineReference(this, DeadlineReference.checked(timeout));
    }

    @Override
    public <T> T as(Class<T> iface) {
        return TypedProxies.create(this, iface);
    }

    @Override
    public Connection connection() {
        return broker.connection();
    }

    @Override
    public boolean isConnected() {
        return !released && broker.isOpen();
    }

    @Override
    public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        requireNonNull(listener, "listener");
        synchronized (this) {
            if (listeners == null) {
                listeners = new CopyOnWriteArrayList<>();
            }
            listeners.add(listener);
        }
        if (!broker.isOpen()) {
            fireDisconnect();
        }
    }

    @Override
    public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        List<Consumer<? super RemoteReference>> l = listeners;
        if (l != null) {
            l.remove(listener);
        }
    }

    /** Runs and forgets the disconnect listeners, each at most once. */
    void fireDisconnect() {
        List<Consumer<? super RemoteReference>> l;
        synchronized (this) {
            l = listeners;
            listeners = null;
        }
        if (l != null) {
            for (Consumer<? super RemoteReference> listener : l) {
                broker.runUserCode(() -> listener.accept(this), "disconnect listener");
            }
        }
    }

    @Override
    public void release() {
        if (released) {
            return;
        }
        // Under the table's lock for this id: a receipt either came before (it is in the count
        // given back) or makes a new proxy; none hands out this one as it is being released.
        entry.table.markReleased(entry, this);
        entry.release(); // takes effect after every send queued before it (protocol §7)
    }

    @Override
    public String toString() {
        return "RemoteReference[" + id + " on connection " + broker.id() + "]";
    }
}
