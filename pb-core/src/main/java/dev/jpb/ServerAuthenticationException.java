package dev.jpb;

/**
 * During a login the server failed to prove that it holds this user's SCRAM verifier: its final
 * signature did not match. The peer is not the server the account was registered with (an
 * impostor, or something between client and server rewriting the exchange). The client
 * abandons the login; do not retry it against the same address without checking the server's
 * identity, e.g. by {@linkplain TlsIdentity#fingerprint() pinning its TLS certificate}.
 */
public class ServerAuthenticationException extends PbException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message.
     *
     * @param message what failed and what to do about it
     */
    public ServerAuthenticationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what failed and what to do about it
     * @param cause the exception that made it fail
     */
    public ServerAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
