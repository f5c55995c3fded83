package dev.jpb.server;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.tls.Pem;
import dev.jpb.internal.tls.TlsContexts;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which client certificates a server that {@linkplain PbServer.Builder#requireClientCertificates
 * requires them} lets in: certificates pinned by fingerprint (as a client pins a server, or as
 * SSH's {@code authorized_keys} names keys), certificates issued by trusted authorities
 * (ordinary PKIX validation: chain, validity dates, and that the certificate may authenticate a
 * client), or both: a client passes if either says yes.
 *
 * <pre>{@code
 * PbServer.builder().tls(serverIdentity)
 *         .requireClientCertificates(ClientCertificates.pinned(aliceFingerprint)
 *                 .orTrusted(Path.of("clients-ca.pem")))
 * }</pre>
 *
 * <p>Immutable and thread-safe: each {@code or...} method returns a new instance.
 */
public final class ClientCertificates {
    private final Set<String> pinned; // canonical fingerprints, in the order given
    private final List<X509Certificate> authorities;

    private ClientCertificates(Set<String> pinned, List<X509Certificate> authorities) {
        this.pinned = pinned;
        this.authorities = authorities;
    }

    /**
     * Lets in exactly the client certificates with these fingerprints (what
     * {@link dev.jpb.TlsIdentity#fingerprint()} prints); issuer and dates are not consulted,
     * the handshake still proves the client holds the certificate's key.
     *
     * @param fingerprints {@code "sha256:"} + 64 hex digits each (upper case and openssl's
     *     colon-separated form are accepted); at least one
     * @return the pinned set
     * @throws IllegalArgumentException if none is given or one is not a SHA-256 fingerprint
     */
    public static ClientCertificates pinned(String... fingerprints) {
        return pinned(List.of(requireNonNull(fingerprints, "fingerprints")));
    }

    /**
     * As {@link #pinned(String...)}, from a collection (a file of fingerprints, say).
     *
     * @param fingerprints at least one fingerprint
     * @return the pinned set
     * @throws IllegalArgumentException if it is empty or one is not a SHA-256 fingerprint
     */
    public static ClientCertificates pinned(Collection<String> fingerprints) {
        requireNonNull(fingerprints, "fingerprints");
        if (fingerprints.isEmpty()) {
            throw new IllegalArgumentException("fingerprints: none (expected: at least one,"
                    + " as TlsIdentity.fingerprint() prints it)");
        }
        return new ClientCertificates(normalize(fingerprints), List.of());
    }

    /**
     * Lets in the client certificates issued by the authorities (or self-signed certificates)
     * in a PEM file, validated as PKIX does.
     *
     * @param pemFile one or more PEM {@code CERTIFICATE} blocks
     * @return the trusted authorities
     * @throws dev.jpb.TlsConfigurationException at once, if the file cannot be read or holds
     *     no certificate
     */
    public static ClientCertificates trusted(Path pemFile) {
        return new ClientCertificates(Set.of(),
                List.copyOf(Pem.readCertificates(requireNonNull(pemFile, "pemFile"))));
    }

    /**
     * Returns these, and the certificates with these fingerprints too.
     *
     * @param fingerprints as {@link #pinned(String...)} takes them
     * @return a new instance that lets in both
     * @throws IllegalArgumentException if one is not a SHA-256 fingerprint
     */
    public ClientCertificates orPinned(String... fingerprints) {
        Set<String> all = new LinkedHashSet<>(pinned);
        all.addAll(normalize(List.of(requireNonNull(fingerprints, "fingerprints"))));
        return new ClientCertificates(Set.copyOf(all), authorities);
    }

    /**
     * Returns these, and the certificates issued by the authorities in {@code pemFile} too.
     *
     * @param pemFile one or more PEM {@code CERTIFICATE} blocks
     * @return a new instance that lets in both
     * @throws dev.jpb.TlsConfigurationException at once, if the file cannot be read or holds
     *     no certificate
     */
    public ClientCertificates orTrusted(Path pemFile) {
        List<X509Certificate> all = new ArrayList<>(authorities);
        all.addAll(Pem.readCertificates(requireNonNull(pemFile, "pemFile")));
        return new ClientCertificates(pinned, List.copyOf(all));
    }

    /** {@return the pinned fingerprints, canonical ({@code "sha256:"} + lowercase hex)} */
    public Set<String> pinnedFingerprints() {
        return pinned;
    }

    /** {@return the trusted authorities' certificates, in file order} */
    public List<X509Certificate> trustedAuthorities() {
        return authorities;
    }

    private static Set<String> normalize(Collection<String> fingerprints) {
        Set<String> canonical = new LinkedHashSet<>();
        for (String fingerprint : fingerprints) {
            canonical.add(TlsContexts.normalizeFingerprint(
                    requireNonNull(fingerprint, "fingerprint")));
        }
        return Set.copyOf(canonical);
    }

    @Override
    public String toString() {
        return "ClientCertificates[pinned " + pinned + ", " + authorities.size()
                + " trusted authorities]";
    }
}
