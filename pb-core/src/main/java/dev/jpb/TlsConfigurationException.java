package dev.jpb;

/**
 * TLS could not be set up from what was given: a certificate or key file is missing, unreadable,
 * not PEM, encrypted, or the key does not belong to the certificate. The message names the file
 * and says what to fix; nothing was sent on any connection.
 */
public class TlsConfigurationException extends PbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what failed and what to do about it
     */
    public TlsConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what failed and what to do about it
     * @param cause the exception that made it fail
     */
    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
