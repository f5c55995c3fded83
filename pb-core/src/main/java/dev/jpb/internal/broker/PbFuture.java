package dev.jpb.internal.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future {@code callRemote} returns. Blocking on it from inside a {@code remote_} method
 * first gives up that connection's turn (see {@link SerialExecutor}), so the peer's nested or
 * re-entrant calls can be served meanwhile instead of deadlocking. Futures derived from it
 * ({@code thenApply}, ...) behave the same.
 */
public final class PbFuture<T> extends CompletableFuture<T> {
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new PbFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        beforeBlocking();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        beforeBlocking();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        beforeBlocking();
        return super.join();
    }

    private void beforeBlocking() {
        if (!isDone()) {
            SerialExecutor.releaseCurrentTurn();
        }
    }
}
