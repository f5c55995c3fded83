package dev.jpb.internal.twisted;

import dev.jpb.Connection;

/** The connection whose call the current thread is serving, for TwistedPb.currentConnection. */
public final class CurrentConnection {
    private static final ThreadLocal<Connection> CURRENT = new ThreadLocal<>();

    private CurrentConnection() {
    }

    /** Returns the connection of the call being served, or {@code null} outside one. */
    public static Connection get() {
        return CURRENT.get();
    }

    static Connection set(Connection c) {
        Connection old = CURRENT.get();
        CURRENT.set(c);
        return old;
    }

    static void restore(Connection old) {
        if (old == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(old);
        }
    }
}
