package dev.jpb;

/**
 * A login was refused: the user is unknown or the password is wrong. Both cases fail with this
 * one exception and this one {@linkplain #MESSAGE message}, after the same exchange taking about
 * the same time, so a client cannot learn which user names exist. The server logs the reason
 * (never the password); the client can only retry with other credentials, and a connection
 * with too many failures in a row is closed.
 */
public class LoginFailedException extends PbError {
    private static final long serialVersionUID = 1L;

    /** The message of every refused login, whatever the reason. */
    public static final String MESSAGE =
            "login failed: unknown user or wrong password; check the user name and password";

    /** Creates the exception with {@link #MESSAGE}. */
    public LoginFailedException() {
        super(MESSAGE);
    }

    /**
     * Creates the exception with a message; used when the error is received, so a peer's text
     * arrives as it was sent. Servers use {@link #LoginFailedException()}.
     *
     * @param message the text the peer sent
     */
    public LoginFailedException(String message) {
        super(message);
    }
}
