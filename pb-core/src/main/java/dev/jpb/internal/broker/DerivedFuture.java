package dev.jpb.internal.broker;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future derived from a jpb future ({@code thenApply}, {@code whenComplete}, ... on a {@link
 * PbFuture}, and on futures derived from those). Blocking on it behaves as on a call's own
 * future: from a Netty event loop it throws {@link dev.jpb.BlockingCallException}, inside a
 * {@code remote_} method it first gives up the connection's turn. No answer is ever handed to
 * it, so it carries none of a call's state: a plain {@code CompletableFuture}'s size, where a
 * {@code PbFuture} per derived stage cost every application callback about 56 bytes more.
 * Thread-safe.
 */
final class DerivedFuture<T> extends CompletableFuture<T> {
    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new DerivedFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isDone()) {
            PbFuture.beforeBlocking();
        }
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!isDone() && unit.toNanos(timeout) > 0) { // a poll never waits: no turn to give up
            PbFuture.beforeBlocking();
        }
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        if (!isDone()) {
            PbFuture.beforeBlocking();
        }
        return super.join();
    }
}
