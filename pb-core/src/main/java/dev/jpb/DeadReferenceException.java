package dev.jpb;

/** A call through a reference whose connection is gone, or that was released. */
public class DeadReferenceException extends PbException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public DeadReferenceException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public DeadReferenceException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and a cause.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public DeadReferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
