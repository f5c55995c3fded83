package dev.jpb;

/**
 * An error that crosses the wire as itself: a remote method that throws a {@code PbError}
 * subclass makes the caller's future fail with an instance of that subclass, carrying the
 * message and the subclass's own fields. Subclasses must be registered on both ends like any
 * copied type and need a no-argument or a {@code (String)} constructor; a receiver that does
 * not know the subclass sees a {@link RemoteCallException} instead.
 *
 * <p>A received error carries no stack trace of its own (the sender's trace never crosses the
 * wire, and one filled in by the receiver would only show its decoder): building one would
 * make each three-byte error on the wire cost a stack walk.
 */
public class PbError extends PbException implements Copyable {
    private static final long serialVersionUID = 1L;

    // Set by the codec (through a private lookup) while it constructs a received error.
    private static final ThreadLocal<Boolean> RECEIVING = new ThreadLocal<>();

    /**
     * The message of a received error, set on arrival: Throwable's own message field cannot
     * be written from outside java.base.
     */
    private String receivedMessage;

    /** Creates an error without a message. */
    public PbError() {
    }

    /**
     * Creates an error with a message.
     *
     * @param message the detail message
     */
    public PbError(String message) {
        super(message);
    }

    /**
     * Creates an error with a message and a local cause (the cause does not cross the wire).
     *
     * @param message the detail message
     * @param cause the cause
     */
    public PbError(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public Throwable fillInStackTrace() {
        return RECEIVING.get() != null ? this : super.fillInStackTrace();
    }

    @Override
    public String getMessage() {
        return receivedMessage != null ? receivedMessage : super.getMessage();
    }
}
