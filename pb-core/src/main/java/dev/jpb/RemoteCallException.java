package dev.jpb;

/**
 * A remote method threw an exception that is not a {@link PbError} the caller knows: its type
 * name and message arrive, and its stack trace only when the callee allows sending traces
 * ({@code sendStackTraces(true)} on its builder; off by default).
 */
public class RemoteCallException extends PbException {
    private static final long serialVersionUID = 1L;

    /** The remote exception's class name. */
    private final String remoteType;
    /** The remote exception's message, or {@code null}. */
    private final String remoteMessage;
    /** The remote exception's printed stack trace, or {@code null}. */
    private final String remoteStackTrace;

    /**
     * Creates the exception.
     *
     * @param remoteType       the remote exception's class name
     * @param remoteMessage    its message, or {@code null}
     * @param remoteStackTrace its printed stack trace, or {@code null}
     */
    public RemoteCallException(String remoteType, String remoteMessage, String remoteStackTrace) {
        super(remoteType + (remoteMessage == null ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace;
    }

    /** {@return the remote exception's class name, e.g. {@code java.lang.IllegalStateException}} */
    public String remoteType() {
        return remoteType;
    }

    /** {@return the remote exception's message, or {@code null}} */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** {@return the remote stack trace, or {@code null} unless the peer sends traces} */
    public String remoteStackTrace() {
        return remoteStackTrace;
    }
}
