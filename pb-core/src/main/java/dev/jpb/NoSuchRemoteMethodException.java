package dev.jpb;

/** The target has no public {@code remote_<name>} method taking that many arguments. */
public class NoSuchRemoteMethodException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public NoSuchRemoteMethodException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public NoSuchRemoteMethodException(String message) {
        super(message);
    }
}
