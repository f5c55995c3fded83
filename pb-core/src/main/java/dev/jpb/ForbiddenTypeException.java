package dev.jpb;

/** A class that is not on the allow-list was about to be sent or was received; register it on both ends with {@code builder().register(Type.class)}. */
public class ForbiddenTypeException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public ForbiddenTypeException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public ForbiddenTypeException(String message) {
        super(message);
    }
}
