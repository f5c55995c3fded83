package dev.jpb.internal.proxy;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.DeadlineExceededException;
import dev.jpb.RemoteReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The default {@link RemoteReference#withTimeout}: a view that fails each call's future with
 * {@link DeadlineExceededException} when the timeout passes, enforced here only (the peer is
 * not told). For references whose wire cannot carry a deadline.
 */
public final class LocalDeadlines {
    private LocalDeadlines() {
    }

    /**
     * Returns a view of {@code ref} whose calls fail after {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static RemoteReference view(RemoteReference ref, Duration timeout) {
        requireNonNull(ref, "ref");
        return new View(ref, checkTimeout(timeout));
    }

    /**
     * Checks a {@code withTimeout} argument and returns it in nanoseconds (saturated).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static long checkTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        checkArgument(!timeout.isNegative() && !timeout.isZero(),
                "timeout: %s (expected: > 0)", timeout);
        try {
            return timeout.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The message of a call that ran out of time. */
    public static String message(String method, long timeoutNanos) {
        return "no answer to remote_" + method + " within its deadline of "
                + Duration.ofNanos(timeoutNanos) + " (withTimeout); retry with a longer"
                + " timeout, or make the callee faster";
    }

    private static final class View implements RemoteReference {
        private final RemoteReference ref;
        private final long nanos;

        View(RemoteReference ref, long nanos) {
            this.ref = ref;
            this.nanos = nanos;
        }

        @Override
        public <T> CompletableFuture<T> callRemote(String name, Object... args) {
            CompletableFuture<T> f = ref.callRemote(name, args);
            if (!f.isDone()) {
                Executor later = CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS);
                later.execute(() -> f.completeExceptionally(
                        new DeadlineExceededException(message(name, nanos))));
            }
            return f;
        }

        @Override
        public void callRemoteOnly(String name, Object... args) {
            ref.callRemoteOnly(name, args);
        }

        @Override
        public <T> T as(Class<T> iface) {
            return TypedProxies.create(this, iface);
        }

        @Override
        public RemoteReference withTimeout(Duration timeout) {
            return ref.withTimeout(timeout);
        }

        @Override
        public Connection connection() {
            return ref.connection();
        }

        @Override
        public boolean isConnected() {
            return ref.isConnected();
        }

        @Override
        public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
            ref.notifyOnDisconnect(listener);
        }

        @Override
        public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
            ref.dontNotifyOnDisconnect(listener);
        }

        @Override
        public void release() {
            ref.release();
        }

        @Override
        public String toString() {
            return ref + ".withTimeout(" + Duration.ofNanos(nanos) + ")";
        }
    }
}
