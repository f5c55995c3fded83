package dev.jpb.internal.broker;

/**
 * A connection's protocol violations, logged for an operator: the first at WARN as it happens,
 * the later ones at DEBUG, and when the connection closes after more than one, a WARN with
 * their count and the last reason. Touched only on the event loop.
 */
final class Violations {
    private int count; // guarded by the event loop
    private String last; // guarded by the event loop

    /**
     * Counts one violation and logs it; returns whether the connection must close now
     * ({@code max} reached, which is logged at WARN with the count).
     */
    boolean add(Broker broker, String reason, int max) {
        count++;
        last = reason;
        if (count >= max) {
            Broker.log.warn("{}: closing after {} protocol violations (maxViolations); last: {}",
                    broker, count, reason);
            count = -count; // reported: nothing more at close
            return true;
        }
        if (count == 1) {
            Broker.log.warn("{}: protocol violation: {} (further ones on this connection are"
                    + " logged at DEBUG and counted when it closes; it closes at {})",
                    broker, reason, max);
        } else {
            Broker.log.debug("{}: protocol violation {}: {}", broker, count, reason);
        }
        return false;
    }

    /** The connection closed: reports the violations not reported yet. */
    void closed(Broker broker) {
        if (count > 1) {
            Broker.log.warn("{}: closed after {} protocol violations; last: {}", broker, count,
                    last);
        }
    }

    /** Returns the number of violations so far. */
    int count() {
        return Math.abs(count);
    }
}
