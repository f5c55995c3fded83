package dev.jpb;

import static java.util.Objects.requireNonNull;

/**
 * The server presented a certificate other than the pinned one, so the connection was refused
 * during the TLS handshake. Either the server's identity changed (a new key was generated) or
 * something between client and server is impersonating it. Both fingerprints are in the
 * message and available from {@link #expected()} and {@link #presented()}: compare the
 * presented one with the server's own {@link TlsIdentity#fingerprint()} before pinning it.
 */
public class TlsPinMismatchException extends PbException {
    private static final long serialVersionUID = 1L;

    /** The pinned fingerprint, {@code "sha256:"} + 64 hex digits. */
    private final String expected;
    /** The fingerprint of the certificate the server presented. */
    private final String presented;

    /**
     * Creates the exception.
     *
     * @param expected the pinned fingerprint, {@code "sha256:"} + 64 hex digits
     * @param presented the fingerprint of the certificate the server presented
     */
    public TlsPinMismatchException(String expected, String presented) {
        super("the server presented a certificate with fingerprint " + presented
                + " but the client pins " + expected + "; if the server's identity was"
                + " regenerated on purpose, pin the new fingerprint, otherwise do not connect");
        this.expected = requireNonNull(expected, "expected");
        this.presented = requireNonNull(presented, "presented");
    }

    /** {@return the fingerprint the client pinned} */
    public String expected() {
        return expected;
    }

    /** {@return the fingerprint of the leaf certificate the server presented} */
    public String presented() {
        return presented;
    }
}
