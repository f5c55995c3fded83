package dev.jpb;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import dev.jpb.internal.tls.Pem;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private key and its certificate chain: what a TLS server presents (and, later, what a
 * client presents for mutual TLS). Immutable and thread-safe.
 *
 * <p>Make one with {@link #selfSigned(String, String...)} (a new EC P-256 key with a self-signed
 * certificate, the usual choice together with a client that pins the
 * {@link #fingerprint()}), or load one issued by a certificate authority with
 * {@link #fromPem(Path, Path)}. {@link #loadOrCreateSelfSigned} does what a server that keeps its
 * identity across restarts wants: create it on first start, load it afterwards.
 *
 * <p>Certificates are built with Bouncy Castle's PKIX classes; keys and signatures use the JDK's
 * own providers (no security provider is installed globally).
 */
public final class TlsIdentity {
    /** How long a {@link #selfSigned} certificate is valid: ten years (pins do not expire). */
    public static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(3650);

    private static final SecureRandom RANDOM = new SecureRandom();
    // A name that may stand in a dNSName entry: letters, digits, '-', '.', and a leading "*.".
    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");

    private final PrivateKey privateKey;
    private final List<X509Certificate> chain;
    private final String fingerprint;

    private TlsIdentity(PrivateKey privateKey, List<X509Certificate> chain) {
        checkArgument(!chain.isEmpty(), "chain: empty (expected: at least the leaf certificate)");
        this.privateKey = privateKey;
        this.chain = List.copyOf(chain);
        this.fingerprint = fingerprintOf(chain.get(0));
    }

    /**
     * Creates a new identity: a fresh EC P-256 key and a self-signed certificate for
     * {@code CN=<commonName>}; the same as {@link #selfSigned(String, String...)} with no
     * further alternative names.
     *
     * @param commonName the subject's common name, e.g. the server's host name
     * @return the new identity
     * @throws IllegalArgumentException if {@code commonName} is empty
     */
    public static TlsIdentity selfSigned(String commonName) {
        return selfSigned(commonName, new String[0]);
    }

    /**
     * Creates a new identity: a fresh EC P-256 key and a self-signed certificate for it, valid
     * for {@link #SELF_SIGNED_VALIDITY} from a day ago (to tolerate clock skew).
     *
     * <p>The certificate's subject is {@code CN=<commonName>}; its subject alternative names are
     * the common name (when it is a valid DNS name or an IP address; otherwise it is left out of
     * them) followed by {@code alternativeNames}. Pass {@code "localhost", "127.0.0.1"} when
     * clients that {@linkplain #fingerprint() pin} it are not enough and clients that verify
     * hostnames will trust this certificate directly.
     *
     * @param commonName the subject's common name, e.g. the server's host name
     * @param alternativeNames further DNS names or IP addresses (IPv4 or IPv6 literals)
     * @return the new identity
     * @throws IllegalArgumentException if {@code commonName} is empty or an alternative name is
     *     neither a DNS name nor an IP address
     */
    public static TlsIdentity selfSigned(String commonName, String... alternativeNames) {
        requireNonNull(commonName, "commonName");
        requireNonNull(alternativeNames, "alternativeNames");
        checkArgument(!commonName.isBlank(), "commonName: empty (expected: a name)");
        Set<String> names = new LinkedHashSet<>();
        if (isDnsName(commonName) || InetAddresses.isInetAddress(commonName)) {
            names.add(commonName);
        }
        for (String name : alternativeNames) {
            requireNonNull(name, "alternativeNames[i]");
            checkArgument(isDnsName(name) || InetAddresses.isInetAddress(name),
                    "alternativeNames: " + name + " (expected: a DNS name or an IP address)");
            names.add(name);
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            KeyPair keys = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, commonName).build();
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(SELF_SIGNED_VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true,
                    new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth,
                        KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
            if (!names.isEmpty()) {
                List<GeneralName> san = new ArrayList<>();
                for (String name : names) {
                    san.add(InetAddresses.isInetAddress(name)
                            ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(san.toArray(new GeneralName[0])));
            }
            ContentSigner signer =
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
            X509Certificate certificate =
                    new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            return new TlsIdentity(keys.getPrivate(), List.of(certificate));
        } catch (GeneralSecurityException | OperatorCreationException
                | java.io.IOException e) {
            // EC P-256 and SHA256withECDSA are mandatory in every JDK: this is a broken platform.
            throw new IllegalStateException("this JDK cannot create an EC P-256 certificate", e);
        }
    }

    /**
     * Loads an identity from PEM files: the certificate chain (leaf first, then any
     * intermediates) and its private key (PKCS#8 {@code PRIVATE KEY}, or the traditional
     * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms; not encrypted).
     *
     * @param certificateChain the PEM file with the leaf certificate first, then intermediates
     * @param privateKey the PEM file with the leaf certificate's private key
     * @return the loaded identity
     * @throws TlsConfigurationException if a file is missing or unreadable, holds no
     *     certificate or no key, the key is encrypted, or the key does not belong to the leaf
     *     certificate; the message names the file
     */
    public static TlsIdentity fromPem(Path certificateChain, Path privateKey) {
        requireNonNull(certificateChain, "certificateChain");
        requireNonNull(privateKey, "privateKey");
        List<X509Certificate> chain = Pem.readCertificates(certificateChain);
        PrivateKey key = Pem.readPrivateKey(privateKey);
        Pem.checkKeyMatches(key, chain.get(0), certificateChain, privateKey);
        return new TlsIdentity(key, chain);
    }

    /**
     * Loads the identity from the two files if the certificate file exists, otherwise creates a
     * {@linkplain #selfSigned(String, String...) self-signed} one and writes it there with
     * {@link #writePem}. A server that does this keeps one fingerprint across restarts, so the
     * clients that pinned it keep connecting.
     *
     * @param certificateChain the certificate chain's PEM file, read if it exists, else written
     * @param privateKey the private key's PEM file, read or written together with the chain
     * @param commonName the common name of a newly created certificate; unused when loading
     * @param alternativeNames further names of a newly created certificate; unused when loading
     * @return the loaded or newly created identity
     * @throws TlsConfigurationException as {@link #fromPem} and {@link #writePem} do
     */
    public static TlsIdentity loadOrCreateSelfSigned(Path certificateChain, Path privateKey,
            String commonName, String... alternativeNames) {
        requireNonNull(certificateChain, "certificateChain");
        requireNonNull(privateKey, "privateKey");
        if (Files.exists(certificateChain)) {
            return fromPem(certificateChain, privateKey);
        }
        TlsIdentity identity = selfSigned(commonName, alternativeNames);
        identity.writePem(certificateChain, privateKey);
        return identity;
    }

    /**
     * Returns this identity's fingerprint: {@code "sha256:"} followed by the 64 lowercase hex
     * digits of the SHA-256 of the leaf certificate's DER encoding. This is what a client
     * pins; it equals {@code openssl x509 -noout -fingerprint -sha256} without the colons.
     *
     * @return the fingerprint, {@code "sha256:"} + 64 hex digits
     */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Writes the certificate chain and the private key (PKCS#8, unencrypted) as PEM, replacing
     * existing files and creating missing parent directories. On file systems with POSIX
     * permissions the key file is created readable and writable by its owner only
     * ({@code rw-------}) before any key byte is written; elsewhere it is made readable by the
     * owner only as far as the file system allows.
     *
     * @param certificateChain the file to write the certificate chain to, leaf first
     * @param privateKey the file to write the private key to
     * @throws TlsConfigurationException if a file cannot be written
     */
    public void writePem(Path certificateChain, Path privateKey) {
        requireNonNull(certificateChain, "certificateChain");
        requireNonNull(privateKey, "privateKey");
        Pem.writeCertificates(certificateChain, chain);
        Pem.writePrivateKey(privateKey, this.privateKey);
    }

    /** {@return the certificate chain, leaf first; the list is immutable} */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** {@return the leaf certificate, the one {@link #fingerprint()} identifies} */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /**
     * Returns the private key; keep it out of logs and off the wire.
     *
     * @return the private key of the leaf certificate
     */
    public PrivateKey privateKey() {
        return privateKey;
    }

    /** Returns the leaf's subject and fingerprint; never the key. */
    @Override
    public String toString() {
        return "TlsIdentity[" + certificate().getSubjectX500Principal().getName() + ", "
                + fingerprint + "]";
    }

    /**
     * Returns the fingerprint of a certificate in the form {@link #fingerprint()} uses.
     *
     * @param certificate the certificate to fingerprint
     * @return {@code "sha256:"} + the 64 lowercase hex digits of the certificate's DER SHA-256
     * @throws TlsConfigurationException if the certificate cannot be encoded
     */
    public static String fingerprintOf(X509Certificate certificate) {
        requireNonNull(certificate, "certificate");
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (CertificateEncodingException e) {
            throw new TlsConfigurationException("certificate "
                    + certificate.getSubjectX500Principal() + " cannot be DER-encoded", e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    private static boolean isDnsName(String name) {
        return name.length() <= 253 && DNS_NAME.matcher(name).matches()
                && !InetAddresses.isInetAddress(name);
    }
}
