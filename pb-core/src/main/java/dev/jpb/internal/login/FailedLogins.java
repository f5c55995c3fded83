package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;

/**
 * Counts one connection's failed logins in a row, so that the login wiring can close a
 * connection that keeps guessing: {@link #failed()} says when the limit is reached; a
 * successful login starts the count again. Not thread-safe: used from the connection's serial
 * executor.
 */
public final class FailedLogins {
    /** The default number of failed logins in a row after which the connection is closed. */
    public static final int DEFAULT_MAX_FAILED_LOGINS = 5;

    private final int limit;
    private int inARow; // guarded by the connection's serial executor

    /**
     * Creates a counter.
     *
     * @param limit failures in a row that close the connection, at least 1
     */
    public FailedLogins(int limit) {
        checkArgument(limit >= 1, "maxFailedLogins: " + limit + " (expected: >= 1)");
        this.limit = limit;
    }

    /**
     * Records a failed login.
     *
     * @return whether this failure reached the limit, so the connection should be closed
     */
    public boolean failed() {
        inARow++;
        return inARow >= limit;
    }

    /** Records a successful login: the count starts again. */
    public void succeeded() {
        inARow = 0;
    }

    /** Returns the failures since the last success. */
    public int inARow() {
        return inARow;
    }

    /** Returns the configured limit. */
    public int limit() {
        return limit;
    }
}
