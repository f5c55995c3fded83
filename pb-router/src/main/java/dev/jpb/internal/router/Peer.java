package dev.jpb.internal.router;

import dev.jpb.router.CancelMode;
import dev.jpb.router.WampError;
import java.util.List;
import java.util.Map;

/**
 * One session's transport as the realm sees it: a WAMP WebSocket, a jpb connection or the HTTP
 * bridge. The realm calls these with its lock held; implementations only enqueue (write to a
 * channel, start a jpb call, complete a future) and never block.
 */
public interface Peer {
    /**
     * Delivers an event.
     *
     * @return false if the peer's bounded queue was full and the event was dropped
     */
    boolean event(long subscriptionId, long publicationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs);

    /** Delivers an invocation of a procedure this peer registered. */
    void invocation(long requestId, long registrationId, Map<String, Object> details,
            List<Object> args, Map<String, Object> kwargs);

    /** Whether {@link #interrupt} reaches the callee (WAMP callees announce it in HELLO). */
    boolean canInterrupt();

    /** Asks the callee to stop working on an invocation. */
    void interrupt(long requestId, CancelMode mode);

    /** Answers a call of this peer (a progressive result when details says so). */
    void result(long requestId, Map<String, Object> details, List<Object> args,
            Map<String, Object> kwargs);

    /** Fails a call of this peer. */
    void callError(long requestId, WampError error);

    /** The router ends this session (it was killed, or the slow-subscriber policy). */
    void kill(String reasonUri, String message);

    /**
     * The router removed this peer from a subscription (an admin's
     * {@code wamp.subscription.remove_subscriber}); the realm's tables already forgot it.
     */
    default void subscriptionRevoked(long subscriptionId, String reasonUri) {
    }

    /**
     * The router removed this peer as a callee of a registration (an admin's
     * {@code wamp.registration.remove_callee}); the realm's tables already forgot it.
     */
    default void registrationRevoked(long registrationId, String reasonUri) {
    }
}
