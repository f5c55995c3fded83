package dev.jpb;

/**
 * A {@code view_} method of a {@link Viewable} was called from a connection that has no
 * logged-in session, so there is no avatar to pass it. Log in first
 * ({@code PbClient.login(...)}) and call again; the connection stays open.
 */
public class NotLoggedInException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public NotLoggedInException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message what was refused and what to do about it
     */
    public NotLoggedInException(String message) {
        super(message);
    }
}
