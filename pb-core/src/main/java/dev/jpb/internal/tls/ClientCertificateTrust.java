package dev.jpb.internal.tls;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.TlsConfigurationException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * A server-side trust manager for mutual TLS that decides which client certificates are let in:
 * a leaf whose fingerprint is pinned, or a chain that PKIX-validates against the trusted
 * authorities (the JDK's own validation, which also checks dates and that the certificate may
 * authenticate a client). A refusal throws a {@link CertificateException} whose cause is a
 * {@link TlsHandshakeException} saying what the operator can do, which
 * {@link TlsFailures#translate} digs out. It never trusts servers. Immutable and thread-safe.
 */
final class ClientCertificateTrust extends ChainTrustManager {
    private final Set<String> pinned; // canonical fingerprints
    private final X509TrustManager authorities; // null: no authority trusted

    /**
     * Trusts the leaves with these fingerprints and the chains these authorities issued.
     *
     * @param pinned canonical fingerprints ({@link TlsContexts#normalizeFingerprint})
     * @param authorities trust anchors for PKIX validation; may be empty
     * @throws IllegalArgumentException if both are empty
     */
    ClientCertificateTrust(Set<String> pinned, List<X509Certificate> authorities) {
        this.pinned = Set.copyOf(requireNonNull(pinned, "pinned"));
        checkArgument(!pinned.isEmpty() || !authorities.isEmpty(),
                "client certificates: none pinned and no authority trusted (expected: at least"
                        + " one of either)");
        this.authorities = authorities.isEmpty() ? null : pkix(authorities);
    }

    private static X509TrustManager pkix(List<X509Certificate> authorities) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < authorities.size(); i++) {
                store.setCertificateEntry("authority-" + i, authorities.get(i));
            }
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new TlsConfigurationException("the JDK made no X.509 trust manager for the"
                    + " trusted client certificate authorities");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsConfigurationException("cannot trust the client certificate"
                    + " authorities: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refused("the client presented no certificate, and this server requires one;"
                    + " give the client an identity with PbClient.builder().clientIdentity(..)",
                    null);
        }
        String fingerprint;
        try {
            fingerprint = TlsIdentity.fingerprintOf(chain[0]);
        } catch (RuntimeException e) {
            throw new CertificateException("the client's certificate cannot be encoded", e);
        }
        if (pinned.contains(fingerprint)) {
            return;
        }
        String who = "the client's certificate " + fingerprint + " ("
                + chain[0].getSubjectX500Principal().getName() + ")";
        if (authorities == null) {
            throw refused(who + " is not pinned on this server; if it should be let in, add"
                    + " it: ClientCertificates.pinned(\"" + fingerprint + "\")", null);
        }
        try {
            authorities.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw refused(who + " is " + (pinned.isEmpty() ? "not " : "neither pinned nor ")
                    + "issued by an authority this server trusts (" + e.getMessage() + ");"
                    + " trust its issuer with ClientCertificates.trusted(pemFile) or pin it"
                    + " with ClientCertificates.pinned(\"" + fingerprint + "\")", e);
        }
    }

    private static CertificateException refused(String message, Throwable cause) {
        TlsHandshakeException typed = cause == null ? new TlsHandshakeException(message)
                : new TlsHandshakeException(message, cause);
        return new CertificateException(message, typed);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("this trust manager only checks clients");
    }
}
