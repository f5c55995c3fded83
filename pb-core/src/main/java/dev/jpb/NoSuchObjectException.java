package dev.jpb;

/**
 * A call or a reference named an object id the peer does not export on this connection: the
 * object was released, or the id was never sent.
 */
public class NoSuchObjectException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public NoSuchObjectException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public NoSuchObjectException(String message) {
        super(message);
    }
}
