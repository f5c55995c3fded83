package dev.jpb.router;

import java.util.Locale;

/** What cancelling a routed call does (WAMP's cancel modes). */
public enum CancelMode {
    /** The caller gets {@code wamp.error.canceled} at once; the callee is not told. */
    SKIP,
    /** The callee is interrupted; the caller gets the callee's answer to the interrupt. */
    KILL,
    /** The callee is interrupted and the caller gets {@code wamp.error.canceled} at once. */
    KILLNOWAIT;

    /** {@return the name used on the wire, e.g. {@code killnowait}} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; {@code null} means {@link #SKIP}, as in WAMP.
     *
     * @param name the wire name
     * @return the mode
     * @throws WampError {@code wamp.error.invalid_argument} for an unknown name
     */
    public static CancelMode fromWire(Object name) {
        if (name == null) {
            return SKIP;
        }
        for (CancelMode m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        throw WampError.of("wamp.error.invalid_argument",
                "cancel mode " + name + " is not one of skip, kill, killnowait");
    }
}
