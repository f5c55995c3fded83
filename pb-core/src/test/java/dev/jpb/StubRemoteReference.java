package dev.jpb;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A test stand-in for a {@link RemoteReference}: connected, releasable, listener calls ignored,
 * everything else unsupported. Tests override what they exercise.
 */
public abstract class StubRemoteReference implements RemoteReference {
    @Override
    public <T> CompletableFuture<T> callRemote(String name, Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void callRemoteOnly(String name, Object... args) {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T> T as(Class<T> iface) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Connection connection() {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
    }

    @Override
    public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
    }

    @Override
    public void release() {
    }
}
