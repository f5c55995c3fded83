package dev.jpb.internal.metrics;

/**
 * One connection's metrics: the broker calls these hooks as its traffic happens. The
 * {@link #NONE} instance does nothing. Thread-safe; every hook is cheap and never throws.
 */
public interface ConnectionMetrics {
    /** Metrics off. */
    ConnectionMetrics NONE = new ConnectionMetrics() {
    };

    /**
     * A call from the peer starts (on the event loop); returns what ends its metrics, or null
     * (metrics off).
     *
     * @param method its method name, or null if this end has no such method (it will fail)
     * @param answered whether the peer wants an answer: only such a call is timed
     */
    default MeteredCall callStarted(String method, boolean answered) {
        return null;
    }

    /**
     * The same, for a call decoded from a socket read: started at {@code read}'s time, the
     * clock read once for all the calls of that read.
     *
     * @param read the connection's read time (read only with metrics on)
     */
    default MeteredCall callStarted(String method, boolean answered, ReadTime read) {
        return callStarted(method, answered);
    }

    /**
     * This end sends a call that wants an answer (on the caller's thread); returns what ends
     * its metrics when the answer (or a failure, or a cancel) completes its future, or null
     * (metrics off). Timed from now.
     *
     * @param method its method name
     */
    default MeteredCall callSent(String method) {
        return null;
    }

    /**
     * This end sent a call that wants no answer (on the caller's thread): counted as started
     * and completed at once, not timed.
     *
     * @param method its method name
     */
    default void oneWaySent(String method) {
    }

    /** The peer broke the protocol; {@code reason} is the broker's wording (any thread). */
    default void violation(String reason) {
    }

    /**
     * The peer started a login on this end (any thread).
     *
     * @param mechanism {@value LoginKinds#PASSWORD} or {@value LoginKinds#ANONYMOUS}
     */
    default void loginStarted(String mechanism) {
    }

    /**
     * A login of the peer succeeded: it has a session now (any thread).
     *
     * @param mechanism as for {@link #loginStarted}
     */
    default void loginSucceeded(String mechanism) {
    }

    /**
     * A login of the peer failed (any thread).
     *
     * @param mechanism as for {@link #loginStarted}
     * @param reason one of the reason kinds of {@link LoginKinds}, never a user name
     */
    default void loginFailed(String mechanism, String reason) {
    }

    /** This end wrote an update to the peer's copy of one of its cacheables (event loop). */
    default void cacheUpdateSent() {
    }

    /** An update to one of this end's copies arrived from the peer (event loop). */
    default void cacheUpdateReceived() {
    }

    /** The connection closed (on the event loop); called once. */
    default void closed() {
    }
}
