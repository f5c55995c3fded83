package dev.jpb.router;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of one routed call. Immutable; {@link #defaults()}: no timeout, caller not
 * disclosed, cancelling the future cancels with {@link CancelMode#KILL}.
 */
public final class CallOptions {
    private static final CallOptions DEFAULTS = new CallOptions(Duration.ZERO, false,
            CancelMode.KILL);

    private final Duration timeout;
    private final boolean discloseMe;
    private final CancelMode cancelMode;

    private CallOptions(Duration timeout, boolean discloseMe, CancelMode cancelMode) {
        this.timeout = timeout;
        this.discloseMe = discloseMe;
        this.cancelMode = cancelMode;
    }

    /** {@return the defaults} */
    public static CallOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Returns a copy with a timeout the router enforces: past it the caller gets
     * {@code wamp.error.timeout} and the callee is interrupted. Zero means none.
     *
     * @param timeout the timeout; default {@link Duration#ZERO}, none
     * @return the copy
     * @throws IllegalArgumentException if negative
     */
    public CallOptions timeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        checkArgument(!timeout.isNegative(), "timeout: %s (expected: >= 0)", timeout);
        return new CallOptions(timeout, discloseMe, cancelMode);
    }

    /**
     * Returns a copy that tells the callee the caller's session id (or not).
     *
     * @param on whether to disclose the caller; default false
     * @return the copy
     */
    public CallOptions discloseMe(boolean on) {
        return new CallOptions(timeout, on, cancelMode);
    }

    /**
     * Returns a copy whose future, when cancelled, cancels the call with this mode.
     *
     * @param mode the cancel mode; default {@link CancelMode#KILL}
     * @return the copy
     */
    public CallOptions cancelMode(CancelMode mode) {
        return new CallOptions(timeout, discloseMe, requireNonNull(mode, "mode"));
    }

    /** {@return the mode used when the call's future is cancelled} */
    public CancelMode cancelMode() {
        return cancelMode;
    }

    /** {@return the WAMP options dictionary} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (!timeout.isZero()) {
            m.put("timeout", Math.max(1, timeout.toMillis()));
        }
        if (discloseMe) {
            m.put("disclose_me", true);
        }
        return m;
    }
}
