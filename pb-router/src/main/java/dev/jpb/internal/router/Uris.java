package dev.jpb.internal.router;

import dev.jpb.router.Match;
import dev.jpb.router.WampError;
import java.util.regex.Pattern;

/** WAMP's URI rules (the "loose" ones) and its matching policies. */
final class Uris {
    /** Non-empty components without whitespace, '.' or '#'. */
    private static final Pattern LOOSE = Pattern.compile("^([^\\s.#]+\\.)*([^\\s.#]+)$");
    /** As {@link #LOOSE}, but components may be empty (patterns). */
    private static final Pattern LOOSE_EMPTY =
            Pattern.compile("^(([^\\s.#]+\\.)|\\.)*([^\\s.#]+)?$");
    static final int MAX_URI_LENGTH = 512;

    private Uris() {
    }

    /** Checks a URI a client publishes to or calls. */
    static String checkConcrete(Object uri, String what) {
        String s = string(uri, what);
        if (!LOOSE.matcher(s).matches()) {
            throw invalid(s, what);
        }
        return s;
    }

    /** Checks a topic or procedure pattern a client subscribes to or registers. */
    static String checkPattern(Object uri, Match match, String what) {
        String s = string(uri, what);
        Pattern p = match == Match.EXACT ? LOOSE : LOOSE_EMPTY;
        if (s.isEmpty() || !p.matcher(s).matches()) {
            throw invalid(s, what);
        }
        return s;
    }

    /** Refuses URIs in the router's own {@code wamp.} space. */
    static void checkNotReserved(String uri, String what) {
        if (uri.startsWith("wamp.")) {
            throw WampError.of("wamp.error.invalid_uri", what + " " + uri
                    + " is in the reserved wamp. namespace; use your own prefix, e.g."
                    + " com.example.");
        }
    }

    static boolean matches(Match match, String pattern, String uri) {
        switch (match) {
            case EXACT:
                return pattern.equals(uri);
            case PREFIX:
                return uri.startsWith(pattern);
            case WILDCARD:
                return wildcardMatches(pattern, uri);
            default:
                throw new AssertionError(match);
        }
    }

    static boolean wildcardMatches(String pattern, String uri) {
        String[] p = pattern.split("\\.", -1);
        String[] u = uri.split("\\.", -1);
        if (p.length != u.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!p[i].isEmpty() && !p[i].equals(u[i])) {
                return false;
            }
        }
        return true;
    }

    /** The number of non-empty components: a wildcard with more of them is more specific. */
    static int specificity(String pattern) {
        int n = 0;
        for (String c : pattern.split("\\.", -1)) {
            if (!c.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static String string(Object uri, String what) {
        if (!(uri instanceof String)) {
            throw WampError.of("wamp.error.invalid_uri", what + " must be a string URI, got "
                    + (uri == null ? "null" : uri.getClass().getSimpleName()));
        }
        String s = (String) uri;
        if (s.length() > MAX_URI_LENGTH) {
            throw WampError.of("wamp.error.invalid_uri", what + " is " + s.length()
                    + " characters long (limit " + MAX_URI_LENGTH + ")");
        }
        return s;
    }

    private static WampError invalid(String uri, String what) {
        return WampError.of("wamp.error.invalid_uri", what + " '" + uri
                + "' is not a valid WAMP URI (dot-separated components without spaces or '#')");
    }
}
