package dev.jpb.internal.metrics;

/**
 * The bounded tag values of the login meters: three mechanisms and a few reason kinds, so that a
 * peer cannot grow the registry (user names are never tags).
 */
public final class LoginKinds {
    /** A SCRAM-SHA-256 login with a user name and password. */
    public static final String PASSWORD = "password";
    /** An anonymous login. */
    public static final String ANONYMOUS = "anonymous";
    /** A login by the client certificate of the TLS handshake (mechanism EXTERNAL). */
    public static final String CERTIFICATE = "certificate";

    /** Unknown user or wrong password. */
    public static final String BAD_CREDENTIALS = "bad_credentials";
    /**
     * The mechanism is not allowed here (anonymous refused, anonymous only, certificate logins
     * off, or no client certificate on the connection).
     */
    public static final String NOT_ALLOWED = "not_allowed";
    /** This end serves no login at all. */
    public static final String NOT_OFFERED = "not_offered";
    /** The realm or the credential store failed. */
    public static final String SERVER_ERROR = "server_error";
    /** The peer broke the login protocol (the connection is closed, or the frame refused). */
    public static final String PROTOCOL = "protocol";
    /** The connection closed while the login was served. */
    public static final String CLOSED = "closed";

    private LoginKinds() {
    }

    /** Returns the mechanism tag of a LOGIN frame's mechanism name (unknown ones: password). */
    public static String ofMechanism(String mechanism) {
        return switch (mechanism == null ? "" : mechanism) {
            case "ANONYMOUS" -> ANONYMOUS;
            case "EXTERNAL" -> CERTIFICATE;
            default -> PASSWORD;
        };
    }

    /** Returns the mechanism tag: {@value #ANONYMOUS} or {@value #PASSWORD}. */
    public static String mechanism(boolean anonymous) {
        return anonymous ? ANONYMOUS : PASSWORD;
    }
}
