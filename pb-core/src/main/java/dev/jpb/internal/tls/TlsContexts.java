package dev.jpb.internal.tls;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.TlsConfigurationException;
import dev.jpb.TlsIdentity;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.AttributeKey;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Builds the Netty {@link SslContext}s jpb uses: one for a server presenting a
 * {@link TlsIdentity}, one for a client that pins a fingerprint, one for a client that trusts
 * certificate authorities; and mutual TLS (a server that asks for or requires a client
 * certificate, clients that present one). All use the JDK's TLS provider and allow TLS 1.3
 * and 1.2 only. A
 * context is immutable and thread-safe; make one per server or client and a handler per
 * channel from it. Client handlers must be made with
 * {@link SslContext#newHandler(io.netty.buffer.ByteBufAllocator, String, int)} so the host name
 * reaches the engine (SNI and hostname verification).
 */
public final class TlsContexts {
    /** The protocols offered, best first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private static final Pattern FINGERPRINT = Pattern.compile("sha256:[0-9a-f]{64}");
    /** Set on the client contexts of this class: whether they present a certificate. */
    private static final AttributeKey<Boolean> PRESENTS_CERTIFICATE =
            AttributeKey.valueOf(TlsContexts.class, "presentsCertificate");

    private TlsContexts() {
    }

    /** Returns a server context that presents {@code identity}; clients are not asked for one. */
    public static SslContext server(TlsIdentity identity) {
        return server(identity, false);
    }

    /**
     * Returns a server context that presents {@code identity} and, if
     * {@code askClientCertificates}, asks clients for a certificate (optional for them): any
     * certificate is accepted as an identity, to be judged afterwards by its
     * {@linkplain #peerFingerprint fingerprint} (mutual TLS by fingerprint).
     */
    public static SslContext server(TlsIdentity identity, boolean askClientCertificates) {
        requireNonNull(identity, "identity");
        try {
            SslContextBuilder builder = SslContextBuilder
                    .forServer(identity.privateKey(), identity.certificateChain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (askClientCertificates) {
                builder.clientAuth(ClientAuth.OPTIONAL).trustManager(new AnyClientCertificate());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new TlsConfigurationException("cannot build a TLS server context for "
                    + identity + ": " + e.getMessage(), e);
        }
    }

    /**
     * Returns a server context that presents {@code identity} and <em>requires</em> a client
     * certificate (mutual TLS): a client whose leaf's fingerprint is in {@code pinnedClients},
     * or whose chain validates against {@code clientAuthorities} (PKIX), completes the
     * handshake; one that presents none, or another, fails it (see
     * {@link ClientCertificateTrust}).
     *
     * @param pinnedClients client fingerprints, each as {@link #normalizeFingerprint} accepts
     * @param clientAuthorities the authorities whose client certificates are trusted
     * @throws IllegalArgumentException if both are empty or a fingerprint is malformed
     */
    public static SslContext server(TlsIdentity identity, Collection<String> pinnedClients,
            List<X509Certificate> clientAuthorities) {
        requireNonNull(identity, "identity");
        Set<String> pins = new LinkedHashSet<>();
        for (String pin : requireNonNull(pinnedClients, "pinnedClients")) {
            pins.add(normalizeFingerprint(pin));
        }
        ClientCertificateTrust trust = new ClientCertificateTrust(pins,
                List.copyOf(requireNonNull(clientAuthorities, "clientAuthorities")));
        try {
            return SslContextBuilder
                    .forServer(identity.privateKey(), identity.certificateChain())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(trust)
                    .build();
        } catch (SSLException e) {
            throw new TlsConfigurationException("cannot build a TLS server context for "
                    + identity + " that requires client certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Returns a client context that accepts exactly the server certificate whose fingerprint is
     * {@code fingerprint} (see {@link PinningTrustManager}); host names are not checked, since
     * the pin already names the certificate.
     *
     * @param fingerprint as {@link TlsIdentity#fingerprint()} prints it; see
     *     {@link #normalizeFingerprint}
     */
    public static SslContext pinnedClient(String fingerprint) {
        return pinnedClient(fingerprint, null);
    }

    /**
     * Like {@link #pinnedClient(String)}, presenting {@code clientIdentity} to a server that
     * asks for a client certificate ({@code null}: present none).
     */
    public static SslContext pinnedClient(String fingerprint, TlsIdentity clientIdentity) {
        String pinned = normalizeFingerprint(fingerprint);
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(new PinningTrustManager(pinned))
                    .endpointIdentificationAlgorithm(null);
            if (clientIdentity != null) {
                builder.keyManager(clientIdentity.privateKey(),
                        clientIdentity.certificateChain());
            }
            return presenting(builder.build(), clientIdentity != null);
        } catch (SSLException e) {
            throw new TlsConfigurationException("cannot build a pinning TLS client context: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Returns a client context that validates the server's chain against the PEM certificates
     * in {@code trustedCertificates} (PKIX, as a browser does against its roots) and checks
     * that the certificate was issued for the host name or IP address connected to (endpoint
     * identification {@code "HTTPS"}, RFC 2818).
     *
     * @throws TlsConfigurationException if the file is missing or holds no certificate
     */
    public static SslContext trustingClient(Path trustedCertificates) {
        requireNonNull(trustedCertificates, "trustedCertificates");
        return trustingClient(Pem.readCertificates(trustedCertificates));
    }

    /** Like {@link #trustingClient(Path)} with the trusted certificates already loaded. */
    public static SslContext trustingClient(List<X509Certificate> trustedCertificates) {
        return trustingClient(trustedCertificates, null);
    }

    /**
     * Like {@link #trustingClient(List)}, presenting {@code clientIdentity} to a server that
     * asks for a client certificate ({@code null}: present none).
     */
    public static SslContext trustingClient(List<X509Certificate> trustedCertificates,
            TlsIdentity clientIdentity) {
        requireNonNull(trustedCertificates, "trustedCertificates");
        checkArgument(!trustedCertificates.isEmpty(),
                "trustedCertificates: empty (expected: at least one certificate)");
        try {
            SslContextBuilder builder = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .trustManager(trustedCertificates)
                    .endpointIdentificationAlgorithm("HTTPS");
            if (clientIdentity != null) {
                builder.keyManager(clientIdentity.privateKey(),
                        clientIdentity.certificateChain());
            }
            return presenting(builder.build(), clientIdentity != null);
        } catch (SSLException e) {
            throw new TlsConfigurationException("cannot build a TLS client context from the"
                    + " trusted certificates: " + e.getMessage(), e);
        }
    }

    /**
     * Returns whether {@code context}, a client context of this class, presents a certificate
     * to a server that asks for one; null for a server context or one built elsewhere. What a
     * failed handshake's engine no longer says: after a TLS 1.2 server refused the client with
     * an alert, the engine's session is gone, and with it what the client presented.
     */
    public static Boolean presentsCertificate(SslContext context) {
        return context.attributes().attr(PRESENTS_CERTIFICATE).get();
    }

    private static SslContext presenting(SslContext context, boolean presents) {
        context.attributes().attr(PRESENTS_CERTIFICATE).set(presents);
        return context;
    }

    /**
     * Returns the fingerprint of the certificate the peer presented in {@code session}, or
     * empty if it presented none (a client that was not asked, or declined).
     */
    public static Optional<String> peerFingerprint(SSLSession session) {
        requireNonNull(session, "session");
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? Optional.of(TlsIdentity.fingerprintOf(leaf)) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /**
     * Returns a fingerprint in its canonical form {@code "sha256:"} + 64 lowercase hex digits.
     * Also accepted: upper case, and the colon-separated hex that
     * {@code openssl x509 -fingerprint -sha256} prints (with or without its
     * {@code "SHA256 Fingerprint="} label).
     *
     * @throws IllegalArgumentException if it is not a SHA-256 fingerprint
     */
    public static String normalizeFingerprint(String fingerprint) {
        requireNonNull(fingerprint, "fingerprint");
        String s = fingerprint.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("sha256 fingerprint=")) {
            s = "sha256:" + s.substring("sha256 fingerprint=".length());
        }
        if (!s.startsWith("sha256:")) {
            s = "sha256:" + s;
        }
        s = "sha256:" + s.substring("sha256:".length()).replace(":", "");
        checkArgument(FINGERPRINT.matcher(s).matches(), "fingerprint: " + fingerprint
                + " (expected: \"sha256:\" + 64 hex digits, as TlsIdentity.fingerprint() prints)");
        return s;
    }
}
