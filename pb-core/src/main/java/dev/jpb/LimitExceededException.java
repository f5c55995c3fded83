package dev.jpb;

/** A configured limit (see {@link Limits}) was exceeded; the message names the limit and how to raise it. */
public class LimitExceededException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public LimitExceededException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public LimitExceededException(String message) {
        super(message);
    }
}
