package dev.jpb.internal.router;

/**
 * A router's metrics, the seam between the realms and a metrics library: {@link #NONE} when
 * the application asked for none (nothing else is loaded then, and the empty calls cost
 * nothing), or {@link MicrometerRouterMetrics} for a Micrometer registry. Tags are bounded:
 * transports, outcomes and origins, never topics, procedures or session ids. Thread-safe.
 */
interface RouterMetrics {
    /** Metrics off. */
    RouterMetrics NONE = new RouterMetrics() {
    };

    /** A session of this node joined ({@code transport}: jpb, wamp or http). */
    default void sessionJoined(String transport) {
    }

    /** A session of this node left. */
    default void sessionLeft(String transport) {
    }

    /** A publication entered this node ({@code origin}: local, or cluster from another node). */
    default void published(String origin) {
    }

    /** An event went to a subscriber of this node. */
    default void delivered() {
    }

    /** The slow-subscriber policy dropped an event (or disconnected its subscriber). */
    default void dropped() {
    }

    /**
     * A routed call a session of this node made was answered or refused.
     *
     * @param outcome one of {@link Outcomes}
     * @param nanos   from routing to the answer, or -1 when it never reached a callee
     */
    default void callEnded(String outcome, long nanos) {
    }

    /** The outcome tags of routed calls. */
    final class Outcomes {
        static final String SUCCESS = "success";
        static final String ERROR = "error";
        static final String CANCELED = "canceled";
        static final String TIMEOUT = "timeout";
        static final String NO_SUCH_PROCEDURE = "no_such_procedure";
        static final String REFUSED = "refused";

        private Outcomes() {
        }

        /** The outcome of a call answered with this error. */
        static String of(String errorUri) {
            switch (errorUri) {
                case "wamp.error.canceled":
                    return CANCELED;
                case "wamp.error.timeout":
                    return TIMEOUT;
                case "wamp.error.no_such_procedure":
                    return NO_SUCH_PROCEDURE;
                default:
                    return ERROR;
            }
        }
    }
}
