package dev.jpb.internal.router;

import dev.jpb.router.WampError;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reading WAMP option values that arrived from a peer, with typed errors for bad ones. */
final class Options {
    private Options() {
    }

    /** A list of session ids, or null when absent. */
    static Set<Long> ids(Object value, String name) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof Collection<?>)) {
            throw WampError.of("wamp.error.invalid_argument",
                    name + " must be a list of session ids");
        }
        Set<Long> out = new HashSet<>();
        for (Object o : (Collection<?>) value) {
            out.add(id(o, name));
        }
        return out;
    }

    static long id(Object o, String name) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short
                || o instanceof Byte) {
            return ((Number) o).longValue();
        }
        throw WampError.of("wamp.error.invalid_argument",
                name + " must hold integer ids, got " + o);
    }

    /** A non-negative number of milliseconds; 0 when absent. */
    static long millis(Object value, String name) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Number && ((Number) value).doubleValue() >= 0) {
            return ((Number) value).longValue();
        }
        throw WampError.of("wamp.error.invalid_argument",
                name + " must be a non-negative number of milliseconds, got " + value);
    }

    /** The first positional argument, or a typed error naming the procedure. */
    static Object arg(java.util.List<Object> args, int i, String procedure) {
        if (args == null || args.size() <= i) {
            throw WampError.of("wamp.error.invalid_argument",
                    procedure + " needs at least " + (i + 1) + " positional argument(s)");
        }
        return args.get(i);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> dict(Object value, String name) {
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?>) {
            return (Map<String, Object>) value;
        }
        throw WampError.of("wamp.error.invalid_argument", name + " must be a dictionary");
    }
}
