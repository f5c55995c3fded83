package dev.jpb.internal.tls;

import static java.util.Objects.requireNonNull;

import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * Trusts exactly one server certificate: the leaf whose SHA-256 fingerprint was pinned. The
 * chain's issuers, validity dates and host names are not consulted (a pin names the very
 * certificate, as an SSH known-hosts entry names a key); the TLS handshake itself still proves
 * that the server holds that certificate's private key. A mismatch throws a
 * {@link CertificateException} whose cause is a {@link TlsPinMismatchException} naming both
 * fingerprints, which {@link TlsFailures#translate} digs out of the handshake failure.
 * Stateless and thread-safe.
 */
final class PinningTrustManager extends ChainTrustManager {
    private final String pinned;

    PinningTrustManager(String pinned) {
        this.pinned = requireNonNull(pinned, "pinned");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server presented no certificate");
        }
        String presented;
        try {
            presented = TlsIdentity.fingerprintOf(chain[0]);
        } catch (RuntimeException e) {
            throw new CertificateException("the server's certificate cannot be encoded", e);
        }
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII),
                pinned.getBytes(StandardCharsets.US_ASCII))) {
            TlsPinMismatchException mismatch = new TlsPinMismatchException(pinned, presented);
            throw new CertificateException(mismatch.getMessage(), mismatch);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("a pinning trust manager only checks servers");
    }
}
