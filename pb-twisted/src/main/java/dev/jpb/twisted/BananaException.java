package dev.jpb.twisted;

import dev.jpb.ProtocolException;

/**
 * The peer sent bytes that are not valid Banana, or past one of the Banana limits (token size,
 * prefix digits, nesting depth, message size); the connection that sent them is closed, no
 * other connection is touched. The message names the limit and the builder method raising it.
 */
public class BananaException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public BananaException(String message) {
        super(message);
    }
}
