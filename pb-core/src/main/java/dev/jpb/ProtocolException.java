package dev.jpb;

/** The peer broke the jpb protocol (bad handshake, undecodable frame); the connection is closed. */
public class ProtocolException extends PbException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public ProtocolException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public ProtocolException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and a cause.
     *
     * @param message the detail message
     * @param cause the cause
     */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
