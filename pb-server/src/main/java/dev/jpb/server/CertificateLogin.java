package dev.jpb.server;

import dev.jpb.TlsIdentity;
import java.security.cert.X509Certificate;

/**
 * What a certificate login ({@link PbServer.Builder#certificateLogin}) hands the realm as the
 * avatar id: the client certificate that the TLS handshake verified names the user, and no
 * password is asked for.
 */
public enum CertificateLogin {
    /**
     * The certificate's fingerprint, {@code "sha256:"} + 64 lowercase hex digits (as
     * {@link TlsIdentity#fingerprint()} prints it): one id per key pair, the natural choice with
     * {@link ClientCertificates#pinned pinned} certificates.
     */
    FINGERPRINT {
        @Override
        String avatarIdOf(X509Certificate certificate) {
            return TlsIdentity.fingerprintOf(certificate);
        }
    },
    /**
     * The certificate's subject as an RFC 2253 distinguished name, e.g.
     * {@code "CN=alice,O=Example"}: the same id across renewed certificates, the natural choice
     * with {@link ClientCertificates#trusted trusted} authorities (which vouch for the name).
     */
    SUBJECT {
        @Override
        String avatarIdOf(X509Certificate certificate) {
            return certificate.getSubjectX500Principal().getName();
        }
    };

    abstract String avatarIdOf(X509Certificate certificate);
}
