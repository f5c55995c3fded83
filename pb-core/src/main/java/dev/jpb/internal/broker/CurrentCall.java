package dev.jpb.internal.broker;

import dev.jpb.Connection;

/** The connection whose inbound call the current thread is serving. */
public final class CurrentCall {
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

    private CurrentCall() {
    }

    /** Returns the connection being served on this thread, or {@code null}. */
    public static Connection connection() {
        return CURRENT.get();
    }

    static Connection enter(Connection connection) {
        Connection previous = CURRENT.get();
        CURRENT.set(connection);
        return previous;
    }

    static void exit(Connection previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
