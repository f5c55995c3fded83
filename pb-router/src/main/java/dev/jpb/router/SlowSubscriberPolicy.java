package dev.jpb.router;

/**
 * What the router does when a subscriber does not keep up and its bounded queue is full.
 * Other subscribers are never held up either way.
 */
public enum SlowSubscriberPolicy {
    /** Drop that subscriber's events while its queue is full, and count them. The default. */
    DROP,
    /** Close that subscriber's session (its WebSocket or jpb connection). */
    DISCONNECT
}
