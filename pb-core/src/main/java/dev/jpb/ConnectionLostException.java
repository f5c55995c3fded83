package dev.jpb;

/** The connection was lost while the call was pending. */
public class ConnectionLostException extends PbException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public ConnectionLostException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public ConnectionLostException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and a cause.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public ConnectionLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
