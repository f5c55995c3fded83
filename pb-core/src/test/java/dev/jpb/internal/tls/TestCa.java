package dev.jpb.internal.tls;

import dev.jpb.TlsIdentity;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the TLS tests of every module (pb-core's test jar): a
 * root certificate, the server certificates it issues for the CA-trusted tests and the client
 * identities it issues for the mutual-TLS tests. Certificates are valid from an hour ago for a
 * day, EC P-256, signed with SHA256withECDSA.
 */
public final class TestCa {
    private final X500Name name;
    final KeyPair keys;
    /** The authority's own (self-signed) certificate. */
    public final X509Certificate certificate;
    private int issuedClients;

    /** An authority named "CN=jpb test CA". */
    public TestCa() throws Exception {
        this("CN=jpb test CA");
    }

    /** An authority with the distinguished name {@code name}. */
    public TestCa(String name) throws Exception {
        this.name = new X500Name(name);
        keys = newKeys();
        X509v3CertificateBuilder b = builder(this.name, this.name, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        certificate = sign(b);
    }

    /** Issues a server certificate with the given SAN entries ("ip:" prefix for addresses). */
    Leaf issue(String commonName, String... sans) throws Exception {
        KeyPair leafKeys = newKeys();
        X509v3CertificateBuilder b = builder(name, new X500Name("CN=" + commonName), leafKeys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        GeneralName[] names = new GeneralName[sans.length];
        for (int i = 0; i < sans.length; i++) {
            names[i] = sans[i].startsWith("ip:")
                    ? new GeneralName(GeneralName.iPAddress, sans[i].substring(3))
                    : new GeneralName(GeneralName.dNSName, sans[i]);
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        return new Leaf(leafKeys, sign(b));
    }

    /**
     * Issues a client certificate (extended key usage {@code clientAuth}) for {@code subject},
     * e.g. "O=Example,CN=carol", and returns it as an identity loaded from the PEM files it
     * writes into {@code dir} (the chain: leaf, then this authority).
     */
    public TlsIdentity issueClient(Path dir, String subject) throws Exception {
        KeyPair leafKeys = newKeys();
        X509v3CertificateBuilder b = builder(name, new X500Name(subject), leafKeys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate leaf = sign(b);
        int n = ++issuedClients;
        Path chain = dir.resolve("client-" + n + ".pem");
        Path key = dir.resolve("client-" + n + "-key.pem");
        write(chain, leaf, certificate);
        try (Writer out = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(leafKeys.getPrivate(), null));
        }
        return TlsIdentity.fromPem(chain, key);
    }

    /** Writes the authority's certificate as PEM to {@code file} and returns it. */
    public Path writeCertificate(Path file) throws IOException {
        write(file, certificate);
        return file;
    }

    record Leaf(KeyPair keys, X509Certificate certificate) {
    }

    private static void write(Path file, X509Certificate... certificates) throws IOException {
        try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            for (X509Certificate c : certificates) {
                pem.writeObject(c);
            }
        }
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject,
            KeyPair subjectKeys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), subject, subjectKeys.getPublic());
    }

    private X509Certificate sign(X509v3CertificateBuilder b) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
