package dev.jpb.internal.broker;

import dev.jpb.Connection;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * The connection (and the call) whose inbound call the current thread is serving.
 *
 * <p>Both live in one holder per thread, found with one {@link FastThreadLocal} lookup (an
 * array index on Netty's threads, the default executor's included; one {@code ThreadLocal}
 * lookup elsewhere), where two {@code ThreadLocal}s took four lookups per call served. A
 * thread that never served a call gets no holder from the readers.
 */
public final class CurrentCall {
    private static final FastThreadLocal<Served> SERVED = new FastThreadLocal<>() {
        @Override
        protected Served initialValue() {
            return new Served();
        }
    };

    /**
     * What one thread serves now. Touched only by that thread; entering sets both fields and
     * the caller restores what they held before.
     */
    static final class Served {
        Connection connection;
        CallScope scope;
    }

    private CurrentCall() {
    }

    /** Returns the connection being served on this thread, or {@code null}. */
    public static Connection connection() {
        Served s = SERVED.getIfExists();
        return s == null ? null : s.connection;
    }

    /** Returns the deadline and cancellation of the call served on this thread, or null. */
    public static CallScope scope() {
        Served s = SERVED.getIfExists();
        return s == null ? null : s.scope;
    }

    /** Returns this thread's holder, made on first use: to enter a call and restore it. */
    static Served served() {
        return SERVED.get();
    }

    // The holder's fields are overwritten, never removed: a thread serving call after call
    // makes no new entry for each.
    static Connection enter(Connection connection) {
        Served s = SERVED.get();
        Connection previous = s.connection;
        s.connection = connection;
        return previous;
    }

    static void exit(Connection previous) {
        SERVED.get().connection = previous;
    }

    static CallScope enterScope(CallScope scope) {
        Served s = SERVED.get();
        CallScope previous = s.scope;
        s.scope = scope;
        return previous;
    }

    static void exitScope(CallScope previous) {
        SERVED.get().scope = previous;
    }

    /**
     * Runs {@code task} on this thread as if serving the call of {@code connection} and
     * {@code scope} (null: none): {@link #connection()} and {@link #scope()} return them, so
     * calls {@code task} makes inherit the scope's deadline and cancellation. Restores what
     * was current before, also when {@code task} throws.
     */
    public static void runIn(Connection connection, CallScope scope, Runnable task) {
        Served s = SERVED.get();
        Connection previous = s.connection;
        CallScope previousScope = s.scope;
        s.connection = connection;
        s.scope = scope;
        try {
            task.run();
        } finally {
            s.connection = previous;
            s.scope = previousScope;
        }
    }
}
