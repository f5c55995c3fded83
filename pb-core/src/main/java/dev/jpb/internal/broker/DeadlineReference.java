package dev.jpb.internal.broker;

import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.internal.proxy.LocalDeadlines;
import dev.jpb.internal.proxy.TypedProxies;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link RemoteReference#withTimeout}'s view of a jpb reference: its calls carry a deadline
 * (a CALL_DEADLINE on the wire, docs/protocol.md §14.1); everything else is the reference's.
 * Sent over the wire, it travels as the reference. Thread-safe, immutable.
 */
final class DeadlineReference implements RemoteReference {
    private final DefaultRemoteReference base;
    private final long timeoutNanos;

    DeadlineReference(DefaultRemoteReference base, long timeoutNanos) {
        this.base = base;
        this.timeoutNanos = timeoutNanos;
    }

    DefaultRemoteReference base() {
        return base;
    }

    @Override
    public <T> CompletableFuture<T> callRemote(String name, Object... args) {
        return base.callRemote(name, args, timeoutNanos);
    }

    @Override
    public void callRemoteOnly(String name, Object... args) {
        base.callRemoteOnly(name, args, timeoutNanos);
    }

    @Override
    public <T> T as(Class<T> iface) {
        return TypedProxies.create(this, iface);
    }

    @Override
    public RemoteReference withTimeout(Duration timeout) {
        return base.withTimeout(timeout);
    }

    @Override
    public Connection connection() {
        return base.connection();
    }

    @Override
    public boolean isConnected() {
        return base.isConnected();
    }

    @Override
    public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        base.notifyOnDisconnect(listener);
    }

    @Override
    public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        base.dontNotifyOnDisconnect(listener);
    }

    @Override
    public void release() {
        base.release();
    }

    @Override
    public String toString() {
        return base + ".withTimeout(" + Duration.ofNanos(timeoutNanos) + ")";
    }

    static long checked(Duration timeout) {
        return LocalDeadlines.checkTimeout(timeout);
    }
}
