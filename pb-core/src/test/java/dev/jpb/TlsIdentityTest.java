package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TlsIdentityTest {
    @TempDir
    Path dir;

    @Test
    void selfSignedIsAnEcP256KeyWithASelfSignedCertificateForTheCommonName() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("pb.example.org");

        assertThat(identity.privateKey())
                .isInstanceOf(java.security.interfaces.ECPrivateKey.class);
        ECPublicKey publicKey = (ECPublicKey) identity.certificate().getPublicKey();
        assertThat(publicKey.getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(identity.certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=pb.example.org");
        assertThat(identity.certificate().getIssuerX500Principal())
                .isEqualTo(identity.certificate().getSubjectX500Principal());
        identity.certificate().verify(publicKey); // signed by its own key
        identity.certificate().checkValidity();
        assertThat(identity.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(sans(identity)).containsExactly(List.of(2, "pb.example.org"));
    }

    @Test
    void selfSignedAddsLocalhostAndLoopbackWhenAsked() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("jpb-server", "localhost", "127.0.0.1");

        assertThat(sans(identity)).containsExactly(
                List.of(2, "jpb-server"), List.of(2, "localhost"), List.of(7, "127.0.0.1"));
    }

    @Test
    void aCommonNameThatIsNoHostNameStaysOutOfTheAlternativeNames() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("my jpb server", "localhost");

        assertThat(identity.certificate().getSubjectX500Principal().getName())
                .isEqualTo("CN=my jpb server");
        assertThat(sans(identity)).containsExactly(List.of(2, "localhost"));
        assertThatThrownBy(() -> TlsIdentity.selfSigned("x", "not a host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a host");
        assertThatThrownBy(() -> TlsIdentity.selfSigned(" "))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fingerprintIsSha256OfTheLeafDerInLowercaseHex() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("fp");
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(identity.certificate().getEncoded());

        assertThat(identity.fingerprint())
                .isEqualTo("sha256:" + HexFormat.of().formatHex(digest))
                .matches("sha256:[0-9a-f]{64}");
        assertThat(TlsIdentity.selfSigned("fp").fingerprint())
                .isNotEqualTo(identity.fingerprint()); // a new key each time
        assertThat(identity.toString()).contains(identity.fingerprint()).doesNotContain("PRIV");
    }

    @Test
    void pemRoundTripKeepsCertificateAndKey() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("round-trip", "localhost");
        Path cert = dir.resolve("sub/dir/server.pem");
        Path key = dir.resolve("sub/dir/server.key");

        identity.writePem(cert, key);
        TlsIdentity loaded = TlsIdentity.fromPem(cert, key);

        assertThat(loaded.fingerprint()).isEqualTo(identity.fingerprint());
        assertThat(loaded.certificateChain()).isEqualTo(identity.certificateChain());
        assertThat(loaded.privateKey().getEncoded())
                .isEqualTo(identity.privateKey().getEncoded());
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void keyFileIsReadableByItsOwnerOnlyEvenWhenItReplacesAnOpenFile() throws Exception {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        Files.writeString(key, "old");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-rw-rw-"));

        TlsIdentity.selfSigned("perm").writePem(cert, key);

        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("server.pem", "server.key"); // no temp left
        }
    }

    @Test
    void loadOrCreateCreatesOnceAndThenLoadsTheSameIdentity() {
        Path cert = dir.resolve("id.pem");
        Path key = dir.resolve("id.key");

        TlsIdentity first = TlsIdentity.loadOrCreateSelfSigned(cert, key, "lab", "localhost");
        TlsIdentity second = TlsIdentity.loadOrCreateSelfSigned(cert, key, "lab", "localhost");

        assertThat(Files.exists(key)).isTrue();
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    }

    @Test
    void traditionalEcPrivateKeyFormIsReadAfterAnEcParametersBlock() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("sec1");
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        identity.writePem(cert, key);
        // What `openssl ecparam -name prime256v1 -genkey` writes: the curve, then SEC1.
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(identity.privateKey().getEncoded());
        ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(),
                SubjectPublicKeyInfo.getInstance(identity.certificate().getPublicKey()
                        .getEncoded()).getPublicKeyData(), curve);
        Files.writeString(key, pem("EC PARAMETERS", curve.toASN1Primitive().getEncoded())
                + pem("EC PRIVATE KEY", sec1.getEncoded()));

        assertThat(TlsIdentity.fromPem(cert, key).fingerprint())
                .isEqualTo(identity.fingerprint());
    }

    @Test
    void missingFilesFailWithATypedErrorNamingTheFile() {
        Path cert = dir.resolve("nope.pem");
        Path key = dir.resolve("nope.key");

        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, key))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining(cert.toString())
                .hasMessageContaining("does not exist");
        TlsIdentity.selfSigned("x").writePem(cert, dir.resolve("other.key"));
        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, key))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("private key file " + key);
    }

    @Test
    void filesWithoutPemOrWithTheWrongContentAreRefused() throws Exception {
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        TlsIdentity.selfSigned("x").writePem(cert, key);
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "hello, not pem\n");

        assertThatThrownBy(() -> TlsIdentity.fromPem(garbage, key))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, garbage))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, cert))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("where a private key was expected");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        Path cert = dir.resolve("a.pem");
        Path otherKey = dir.resolve("b.key");
        TlsIdentity.selfSigned("a").writePem(cert, dir.resolve("a.key"));
        TlsIdentity.selfSigned("b").writePem(dir.resolve("b.pem"), otherKey);

        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, otherKey))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("does not belong to the first certificate");
    }

    @Test
    void anEncryptedKeyIsRefusedWithAHint() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("enc");
        Path cert = dir.resolve("c.pem");
        Path key = dir.resolve("k.pem");
        identity.writePem(cert, key);
        try (Writer out = Files.newBufferedWriter(key, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(new JcaPKCS8Generator(identity.privateKey(),
                    new JceOpenSSLPKCS8EncryptorBuilder(
                            PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC)
                            .setPassword("secret".toCharArray()).build()));
        }
        assertThat(Files.readString(key)).contains("ENCRYPTED PRIVATE KEY");

        assertThatThrownBy(() -> TlsIdentity.fromPem(cert, key))
                .isInstanceOf(TlsConfigurationException.class)
                .hasMessageContaining("encrypted");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static List<List<?>> sans(TlsIdentity identity) throws Exception {
        return List.copyOf(identity.certificate().getSubjectAlternativeNames());
    }
}
