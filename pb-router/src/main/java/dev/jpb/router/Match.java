package dev.jpb.router;

import java.util.Locale;

/** How a subscription's topic or a registration's procedure matches URIs (WAMP's policies). */
public enum Match {
    /** The URI equals the topic or procedure. */
    EXACT,
    /** The URI starts with the pattern ({@code com.myapp} matches {@code com.myapp.x}). */
    PREFIX,
    /**
     * The URI has as many components; empty components match any one ({@code a..c} matches
     * {@code a.b.c} but not {@code a.b.c.d}).
     */
    WILDCARD;

    /** {@return the name used on the wire: {@code exact}, {@code prefix} or {@code wildcard}} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; {@code null} means {@link #EXACT}.
     *
     * @param name the wire name
     * @return the policy
     * @throws WampError {@code wamp.error.invalid_argument} for an unknown name
     */
    public static Match fromWire(Object name) {
        if (name == null) {
            return EXACT;
        }
        for (Match m : values()) {
            if (m.wireName().equals(name)) {
                return m;
            }
        }
        throw WampError.of("wamp.error.invalid_argument",
                "match policy " + name + " is not one of exact, prefix, wildcard");
    }
}
