package dev.jpb.internal.broker;

import dev.jpb.Connection;

/** The connection (and the call) whose inbound call the current thread is serving. */
public final class CurrentCall {
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();
    private static final ThreadLocal<CallScope> SCOPE = new ThreadLocal<>();

    private CurrentCall() {
    }

    /** Returns the connection being served on this thread, or {@code null}. */
    public static Connection connection() {
        return CURRENT.get();
    }

    /** Returns the deadline and cancellation of the call served on this thread, or null. */
    public static CallScope scope() {
        return SCOPE.get();
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

    static CallScope enterScope(CallScope scope) {
        CallScope previous = SCOPE.get();
        SCOPE.set(scope);
        return previous;
    }

    static void exitScope(CallScope previous) {
        if (previous == null) {
            SCOPE.remove();
        } else {
            SCOPE.set(previous);
        }
    }
}
