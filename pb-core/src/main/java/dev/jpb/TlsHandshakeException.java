package dev.jpb;

/**
 * The TLS handshake with the peer failed, or the peer does not speak TLS where this end
 * expects it: the certificate could not be verified (unknown issuer, expired, a host name it
 * was not issued for), the peer speaks plaintext jpb, or the peer sent bytes that are not TLS.
 * The message says which and what to change. A pinned certificate that does not match fails
 * with the more specific {@link TlsPinMismatchException} instead.
 */
public class TlsHandshakeException extends PbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what failed and what to do about it
     */
    public TlsHandshakeException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what failed and what to do about it
     * @param cause the exception that made it fail
     */
    public TlsHandshakeException(String message, Throwable cause) {
        super(message, cause);
    }
}
