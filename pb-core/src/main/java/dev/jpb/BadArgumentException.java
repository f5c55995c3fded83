package dev.jpb;

/** An argument of a remote call cannot be converted to the type the {@code remote_} method declares. */
public class BadArgumentException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public BadArgumentException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public BadArgumentException(String message) {
        super(message);
    }
}
