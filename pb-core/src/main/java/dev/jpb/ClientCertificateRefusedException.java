package dev.jpb;

/**
 * The server requires a client certificate (mutual TLS) and refused this client's: it presented
 * none, or one the server neither pins nor trusts the issuer of. The TLS handshake failed and
 * nothing of jpb was exchanged. The message says which, and what to do: give the client an
 * identity ({@code PbClient.builder().clientIdentity(identity)}) and have the server's operator
 * trust it ({@code ClientCertificates.pinned(identity.fingerprint())} or the authority that
 * issued it).
 */
public class ClientCertificateRefusedException extends TlsHandshakeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what failed and what to do about it
     * @param cause the TLS layer's report of the server's alert
     */
    public ClientCertificateRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
