package dev.jpb.internal.metrics;

/** Sorts the broker's violation reasons into a few tag values. */
final class ViolationKinds {
    private ViolationKinds() {
    }

    /** Returns the {@code kind} tag of a violation the broker words as {@code reason}. */
    static String of(String reason) {
        if (reason == null) {
            return "other";
        }
        if (reason.contains("unknown request")) {
            return "unknown-request"; // an answer or error nobody asked for
        }
        if (reason.startsWith("decref")) {
            return "bad-release";
        }
        if (reason.startsWith("call remote_")) {
            return "undecodable-arguments";
        }
        if (reason.startsWith("undecodable frame")) {
            return "undecodable-frame";
        }
        return "other";
    }
}
