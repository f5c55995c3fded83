package dev.jpb;

/** The root of every exception jpb throws; unchecked. */
public class PbException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception without a message. */
    public PbException() {
    }

    /**
     * Creates an exception with a message.
     *
     * @param message the detail message
     */
    public PbException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public PbException(String message, Throwable cause) {
        super(message, cause);
    }
}
