package dev.jpb.internal.tls;

import dev.jpb.TlsConfigurationException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reading and writing certificates and private keys as PEM (with Bouncy Castle's parser and
 * writer). Every failure is a {@link TlsConfigurationException} naming the file.
 */
public final class Pem {
    private Pem() {
    }

    /** Reads every certificate in a PEM file, in file order; at least one must be there. */
    public static List<X509Certificate> readCertificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof X509CertificateHolder holder) {
                    certificates.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException e) {
            throw unreadable("certificate file", file, e);
        } catch (CertificateException | RuntimeException e) {
            throw new TlsConfigurationException("certificate file " + file
                    + " holds a certificate that cannot be parsed (" + e.getMessage()
                    + "); expected PEM blocks '-----BEGIN CERTIFICATE-----'", e);
        }
        if (certificates.isEmpty()) {
            throw new TlsConfigurationException("certificate file " + file + " holds no PEM"
                    + " certificate; expected one or more '-----BEGIN CERTIFICATE-----' blocks,"
                    + " the leaf first");
        }
        return certificates;
    }

    /**
     * Reads the one private key in a PEM file: PKCS#8 {@code PRIVATE KEY}, or the traditional
     * {@code EC PRIVATE KEY} / {@code RSA PRIVATE KEY} forms. An {@code EC PARAMETERS} block
     * (as {@code openssl ecparam -genkey} writes) is skipped. Encrypted keys are refused.
     */
    public static PrivateKey readPrivateKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (item instanceof PKCS8EncryptedPrivateKeyInfo
                        || item instanceof PEMEncryptedKeyPair) {
                    throw new TlsConfigurationException("private key file " + file
                            + " holds an encrypted key; jpb reads unencrypted keys only:"
                            + " decrypt it (openssl pkcs8 -in key.pem -out plain.pem) and keep"
                            + " the file readable by its owner only");
                }
                if (!(item instanceof X9ECParameters || item instanceof ASN1ObjectIdentifier)) {
                    throw new TlsConfigurationException("private key file " + file + " holds a "
                            + item.getClass().getSimpleName() + " where a private key was"
                            + " expected; expected '-----BEGIN PRIVATE KEY-----'");
                }
            }
        } catch (IOException e) {
            throw unreadable("private key file", file, e);
        } catch (TlsConfigurationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new TlsConfigurationException("private key file " + file
                    + " holds a key that cannot be parsed (" + e.getMessage() + ")", e);
        }
        throw new TlsConfigurationException("private key file " + file + " holds no PEM private"
                + " key; expected '-----BEGIN PRIVATE KEY-----' (PKCS#8) or"
                + " '-----BEGIN EC PRIVATE KEY-----'");
    }

    /**
     * Checks that {@code key} is the private half of {@code certificate}'s public key by
     * signing a random challenge with one and verifying it with the other.
     */
    public static void checkKeyMatches(PrivateKey key, X509Certificate certificate,
            Path certificateFile, Path keyFile) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            default -> throw new TlsConfigurationException("private key file " + keyFile
                    + " holds a " + key.getAlgorithm() + " key; use an EC, RSA or Ed25519 key");
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new TlsConfigurationException("the private key in " + keyFile + " does not"
                    + " belong to the first certificate in " + certificateFile + " ("
                    + certificate.getSubjectX500Principal().getName() + "); put the leaf"
                    + " certificate first and pair it with its own key");
        }
    }

    /** Writes certificates as consecutive PEM blocks, replacing the file. */
    public static void writeCertificates(Path file, List<X509Certificate> certificates) {
        try {
            createParent(file);
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                for (X509Certificate certificate : certificates) {
                    pem.writeObject(certificate);
                }
            }
        } catch (IOException e) {
            throw unwritable("certificate file", file, e);
        }
    }

    /**
     * Writes a private key as unencrypted PKCS#8 PEM, replacing the file. The bytes go to a
     * temporary file in the same directory that is created owner-only, which then replaces the
     * target, so the key is never readable by others, not even for a moment.
     */
    public static void writePrivateKey(Path file, PrivateKey key) {
        Path temp = null;
        try {
            Path directory = createParent(file);
            boolean posix =
                    directory.getFileSystem().supportedFileAttributeViews().contains("posix");
            temp = posix
                    ? Files.createTempFile(directory, ".jpb-key", ".tmp",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(directory, ".jpb-key", ".tmp");
            if (!posix) {
                java.io.File f = temp.toFile();
                // Owner-only as far as java.io.File can say it on this file system.
                f.setReadable(false, false);
                f.setReadable(true, true);
                f.setWritable(false, false);
                f.setWritable(true, true);
            }
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.US_ASCII);
                    JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(new JcaPKCS8Generator(key, null));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            temp = null;
        } catch (IOException e) {
            throw unwritable("private key file", file, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed; that is the error the caller sees
                }
            }
        }
    }

    private static Path createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        return parent;
    }

    private static TlsConfigurationException unreadable(String what, Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new TlsConfigurationException(what + " " + file + " does not exist; check"
                    + " the path, or create an identity with TlsIdentity.selfSigned(...)"
                    + ".writePem(...)", e);
        }
        if (e instanceof AccessDeniedException) {
            return new TlsConfigurationException(what + " " + file + " cannot be read by this"
                    + " process (access denied); fix its permissions or run as its owner", e);
        }
        return new TlsConfigurationException(what + " " + file + " cannot be read: " + e, e);
    }

    private static TlsConfigurationException unwritable(String what, Path file, IOException e) {
        return new TlsConfigurationException(what + " " + file + " cannot be written: " + e
                + "; check that its directory exists and is writable", e);
    }
}
