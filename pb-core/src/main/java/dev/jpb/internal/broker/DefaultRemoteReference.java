package dev.jpb.internal.broker;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.DeadReferenceException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.proxy.TypedProxies;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The proxy for one of the peer's objects on one connection. Thread-safe. */
final class DefaultRemoteReference implements RemoteReference {
    private static final Object[] NO_ARGS = new Object[0];

    private final Broker broker;
    private final long id;
    private volatile boolean released;
    private volatile ImportTable.Entry entry;
    private volatile List<Consumer<? super RemoteReference>> listeners;

    DefaultRemoteReference(Broker broker, long id) {
        this.broker = broker;
        this.id = id;
    }

    void attach(ImportTable.Entry entry) {
        this.entry = entry;
    }

    long id() {
        return id;
    }

    Broker broker() {
        return broker;
    }

    boolean isReleased() {
        return released;
    }

    @Override
    public <T> CompletableFuture<T> callRemote(String name, Object... args) {
        if (released) {
            return PbFutures.failed(new DeadReferenceException(
                    "remote reference " + id + " was released; calls through it are refused"));
        }
        return broker.call(id, name, args == null ? NO_ARGS : args, true);
    }

    @Override
    public void callRemoteOnly(String name, Object... args) {
        if (released) {
            Broker.log.warn("callRemoteOnly({}) on released reference {} dropped", name, id);
            return;
        }
        broker.call(id, name, args == null ? NO_ARGS : args, false);
    }

    @Override
    public <T> T as(Class<T> iface) {
        return TypedProxies.create(this, iface);
    }

    @Override
    public Connection connection() {
        return broker;
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
        released = true;
        ImportTable.Entry e = entry;
        if (e != null) {
            e.release();
        }
    }

    @Override
    public String toString() {
        return "RemoteReference[" + id + " on connection " + broker.id() + "]";
    }
}
