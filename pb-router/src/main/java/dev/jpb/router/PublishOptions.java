package dev.jpb.router;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of one publication (WAMP's PUBLISH options). Immutable; start from
 * {@link #defaults()}: acknowledged, publisher excluded, not disclosed, every subscriber
 * eligible.
 */
public final class PublishOptions {
    private static final PublishOptions DEFAULTS =
            new PublishOptions(true, true, false, null, null);

    private final boolean acknowledge;
    private final boolean excludeMe;
    private final boolean discloseMe;
    private final List<Long> exclude;
    private final List<Long> eligible;

    private PublishOptions(boolean acknowledge, boolean excludeMe, boolean discloseMe,
            List<Long> exclude, List<Long> eligible) {
        this.acknowledge = acknowledge;
        this.excludeMe = excludeMe;
        this.discloseMe = discloseMe;
        this.exclude = exclude;
        this.eligible = eligible;
    }

    /** {@return the defaults} */
    public static PublishOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy that asks (or not) for an acknowledgement: when false the publish future
     * completes at once with null and errors are only logged by the router.
     *
     * @param on whether to ask for an acknowledgement; default true
     * @return the copy
     */
    public PublishOptions acknowledge(boolean on) {
        return new PublishOptions(on, excludeMe, discloseMe, exclude, eligible);
    }

    /**
     * Returns a copy that excludes (default) or includes the publisher's own subscriptions.
     *
     * @param on whether to exclude the publisher; default true
     * @return the copy
     */
    public PublishOptions excludeMe(boolean on) {
        return new PublishOptions(acknowledge, on, discloseMe, exclude, eligible);
    }

    /**
     * Returns a copy that tells subscribers the publisher's session id (or not).
     *
     * @param on whether to disclose the publisher; default false
     * @return the copy
     */
    public PublishOptions discloseMe(boolean on) {
        return new PublishOptions(acknowledge, excludeMe, on, exclude, eligible);
    }

    /**
     * Returns a copy that skips these session ids.
     *
     * @param sessionIds the sessions not to deliver to; replaces an earlier list
     * @return the copy
     */
    public PublishOptions exclude(long... sessionIds) {
        return new PublishOptions(acknowledge, excludeMe, discloseMe, ids(sessionIds), eligible);
    }

    /**
     * Returns a copy that delivers only to these session ids.
     *
     * @param sessionIds the only sessions to deliver to; replaces an earlier list; default
     *     every subscriber
     * @return the copy
     */
    public PublishOptions eligible(long... sessionIds) {
        return new PublishOptions(acknowledge, excludeMe, discloseMe, exclude, ids(sessionIds));
    }

    /** {@return whether the publication is acknowledged} */
    public boolean acknowledged() {
        return acknowledge;
    }

    /** {@return the WAMP options dictionary} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (acknowledge) {
            m.put("acknowledge", true);
        }
        if (!excludeMe) {
            m.put("exclude_me", false);
        }
        if (discloseMe) {
            m.put("disclose_me", true);
        }
        if (exclude != null) {
            m.put("exclude", new ArrayList<>(exclude));
        }
        if (eligible != null) {
            m.put("eligible", new ArrayList<>(eligible));
        }
        return m;
    }

    private static List<Long> ids(long[] ids) {
        requireNonNull(ids, "sessionIds");
        List<Long> out = new ArrayList<>();
        for (long id : ids) {
            out.add(id);
        }
        return out;
    }
}
