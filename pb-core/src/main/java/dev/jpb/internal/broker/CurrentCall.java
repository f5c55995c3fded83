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

    // set(null), never remove(): a thread serving call after call would otherwise make a new
    // ThreadLocalMap entry for each (two allocations a call, on every call without a deadline).
    static void exit(Connection previous) {
        CURRENT.set(previous);
    }

    static CallScope enterScope(CallScope scope) {
        CallScope previous = SCOPE.get();
        SCOPE.set(scope);
        return previous;
    }

    static void exitScope(CallScope previous) {
        SCOPE.set(previous);
    }

    /**
     * Runs {@code task} on this thread as if serving the call of {@code connection} and
     * {@code scope} (null: none): {@link #connection()} and {@link #scope()} return them, so
     * calls {@code task} makes inherit the scope's deadline and cancellation. Restores what
     * was current before, also when {@code task} throws.
     */
    public static void runIn(Connection connection, CallScope scope, Runnable task) {
        Connection previous = enter(connection);
        CallScope previousScope = enterScope(scope);
        try {
            task.run();
        } finally {
            exitScope(previousScope);
            exit(previous);
        }
    }
}
