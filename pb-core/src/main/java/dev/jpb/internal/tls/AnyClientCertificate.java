package dev.jpb.internal.tls;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * A server-side trust manager for mutual TLS by fingerprint: any client certificate is
 * accepted as an <em>identity</em> (the handshake proves the client holds its key), and who may
 * do what is decided afterwards from its fingerprint (e.g. as the avatar id), as SSH decides
 * from a key. It never trusts servers. Stateless and thread-safe.
 */
final class AnyClientCertificate extends ChainTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the client presented an empty certificate chain");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
            throws CertificateException {
        throw new CertificateException("this trust manager only identifies clients");
    }
}
