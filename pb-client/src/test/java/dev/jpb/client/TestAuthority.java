package dev.jpb.client;

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
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the mutual-TLS tests: a root certificate (written as PEM,
 * for {@code ClientCertificates.trusted}) and client identities it issues.
 */
final class TestAuthority {
    private static final X500Name NAME = new X500Name("CN=jpb test clients CA");

    private final Path dir;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private int issued;

    TestAuthority(Path dir) throws Exception {
        this.dir = dir;
        this.keys = newKeys();
        X509v3CertificateBuilder b = builder(NAME, NAME, keys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true,
                new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        this.certificate = sign(b);
    }

    /** Writes the authority's certificate as PEM and returns the file. */
    Path certificatePem() throws IOException {
        Path file = dir.resolve("clients-ca.pem");
        write(file, certificate);
        return file;
    }

    /** Issues a client certificate for {@code subject}, e.g. "O=Example,CN=carol". */
    TlsIdentity issueClient(String subject) throws Exception {
        KeyPair leafKeys = newKeys();
        X509v3CertificateBuilder b = builder(NAME, new X500Name(subject), leafKeys);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        X509Certificate leaf = sign(b);
        int n = ++issued;
        Path chain = dir.resolve("client-" + n + ".pem");
        Path key = dir.resolve("client-" + n + "-key.pem");
        write(chain, leaf, certificate);
        try (Writer out = Files.newBufferedWriter(key); JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(leafKeys.getPrivate(), null));
        }
        return TlsIdentity.fromPem(chain, key);
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
