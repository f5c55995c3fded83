package dev.jpb;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.broker.CallScope;
import dev.jpb.internal.broker.CurrentCall;
import java.time.Duration;
import java.util.Optional;

/**
 * What a {@code remote_} method can learn about the call it is serving, such as which
 * connection made it.
 */
public final class CallContext {
    private final Connection connection;
    private final CallScope scope; // null: a ROOT request, or a call served without one

    private CallContext(Connection connection, CallScope scope) {
        this.connection = requireNonNull(connection, "connection");
        this.scope = scope;
    }

    /**
     * Returns the context of the call the current thread is serving.
     *
     * @return the current call's context
     * @throws IllegalStateException outside a {@code remote_} method
     */
    public static CallContext current() {
        Connection connection = CurrentCall.connection();
        if (connection == null) {
            throw new IllegalStateException(
                    "CallContext.current() is only available inside a remote_ method");
        }
        return new CallContext(connection, CurrentCall.scope());
    }

    /** {@return the connection the call arrived on} */
    public Connection connection() {
        return connection;
    }

    /**
     * Returns whether the caller cancelled this call ({@code future.cancel(true)}), or its
     * deadline passed. A long-running method checks it to stop early; what it still returns
     * is dropped by the caller. Thread-safe: the context may be handed to other threads.
     *
     * @return whether the call should stop
     */
    public boolean isCancelled() {
        return scope != null && scope.isCancelled();
    }

    /**
     * Returns what is left of the caller's deadline ({@link RemoteReference#withTimeout}),
     * measured from when the call arrived here: the caller sends the time left, never a
     * wall-clock instant, so the two clocks need not agree; the time the call spent on the
     * wire is not subtracted. Zero once it has passed; empty if the caller set none.
     *
     * @return the time left, if the call has a deadline
     */
    public Optional<Duration> timeRemaining() {
        return scope == null ? Optional.empty() : scope.timeRemaining();
    }
}
