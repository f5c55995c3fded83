package dev.jpb;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.broker.CurrentCall;

/**
 * What a {@code remote_} method can learn about the call it is serving, such as which
 * connection made it.
 */
public final class CallContext {
    private final Connection connection;

    private CallContext(Connection connection) {
        this.connection = requireNonNull(connection, "connection");
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
        return new CallContext(connection);
    }

    /** {@return the connection the call arrived on} */
    public Connection connection() {
        return connection;
    }
}
