package dev.jpb.router;

import java.util.Locale;

/** Which callee of a shared registration an invocation goes to (WAMP's invocation policies). */
public enum InvokePolicy {
    /** One callee only; a second registration of the procedure is refused. The default. */
    SINGLE,
    /** The callees in turn. */
    ROUNDROBIN,
    /** A callee picked at random. */
    RANDOM,
    /** The callee that registered first. */
    FIRST,
    /** The callee that registered last. */
    LAST;

    /** {@return the name used on the wire, e.g. {@code roundrobin}} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a wire name; {@code null} means {@link #SINGLE}.
     *
     * @param name the wire name
     * @return the policy
     * @throws WampError {@code wamp.error.invalid_argument} for an unknown name
     */
    public static InvokePolicy fromWire(Object name) {
        if (name == null) {
            return SINGLE;
        }
        for (InvokePolicy p : values()) {
            if (p.wireName().equals(name)) {
                return p;
            }
        }
        throw WampError.of("wamp.error.invalid_argument", "invocation policy " + name
                + " is not one of single, roundrobin, random, first, last");
    }
}
