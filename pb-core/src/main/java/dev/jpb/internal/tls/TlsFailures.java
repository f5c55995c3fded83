package dev.jpb.internal.tls;

import dev.jpb.PbException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsPinMismatchException;
import io.netty.handler.ssl.NotSslRecordException;
import java.security.cert.CertificateException;

/** Turns what a failed TLS handshake threw into the typed jpb error a caller should see. */
public final class TlsFailures {
    private TlsFailures() {
    }

    /**
     * Returns the jpb error for a handshake failure: the {@link TlsPinMismatchException} or
     * {@link TlsHandshakeException} found in its cause chain, or else a new
     * {@link TlsHandshakeException} whose message says what probably went wrong.
     *
     * @param failure what the SslHandler's handshake future or the pipeline reported
     * @param peer the peer as the message should name it, e.g. {@code "127.0.0.1:7000"}
     */
    public static PbException translate(Throwable failure, String peer) {
        boolean certificate = false;
        boolean notTls = false;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TlsPinMismatchException mismatch) {
                return mismatch;
            }
            if (t instanceof TlsHandshakeException handshake) {
                return handshake;
            }
            certificate |= t instanceof CertificateException;
            notTls |= t instanceof NotSslRecordException;
        }
        if (notTls) {
            return new TlsHandshakeException("the peer at " + peer + " sent bytes that are not"
                    + " TLS; check that it serves TLS on that port", failure);
        }
        if (certificate) {
            return new TlsHandshakeException("the certificate of " + peer + " was refused ("
                    + failure.getMessage() + "); trustCertificates must hold the authority"
                    + " that issued it, and it must name the host you connect to", failure);
        }
        return new TlsHandshakeException("TLS handshake with " + peer + " failed: "
                + failure.getMessage(), failure);
    }
}
