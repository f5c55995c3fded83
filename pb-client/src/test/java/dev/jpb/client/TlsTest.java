package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.server.PbServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS end to end on real sockets: a pinned and a CA-trusted client against a TLS server, and
 * every wrong pairing (wrong pin, wrong host name, plaintext against TLS both ways, garbage),
 * each a typed error or a closed connection within the handshake timeout, after which a
 * well-behaved client on the same server still works.
 */
@Timeout(60)
class TlsTest {
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);

    /** A root with something to call. */
    public static final class Calculator extends Root {
        /** Adds. */
        public int remote_add(int a, int b) {
            return a + b;
        }

        /** Returns what it was given. */
        public Object remote_echo(Object o) {
            return o;
        }
    }

    private static TlsIdentity identity;
    private static PbServer tlsServer;
    private static PbServer plainServer;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startServers() {
        identity = TlsIdentity.selfSigned("localhost", "127.0.0.1");
        tlsServer = PbServer.builder().root(new Calculator()).tls(identity)
                .handshakeTimeout(HANDSHAKE).build().start();
        plainServer = PbServer.builder().root(new Calculator())
                .handshakeTimeout(HANDSHAKE).build().start();
    }

    @AfterAll
    static void stopServers() {
        tlsServer.close();
        plainServer.close();
    }

    private static void assertAPinnedClientStillWorks() throws Exception {
        try (PbClient client = PbClient.builder().pinServer(identity.fingerprint())
                .handshakeTimeout(HANDSHAKE).connect("127.0.0.1", tlsServer.port())) {
            RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
            assertThat(root.<Integer>callRemote("add", 40, 2).get(10, TimeUnit.SECONDS))
                    .isEqualTo(42);
        }
    }

    @Test
    void aPinnedClientCallsTheServerOverTls() throws Exception {
        try (PbClient client = PbClient.builder().pinServer(identity.fingerprint())
                .handshakeTimeout(HANDSHAKE).connect("127.0.0.1", tlsServer.port())) {
            assertThat(client.isServerAuthenticated()).isTrue();
            assertThat(client.serverFingerprint()).contains(identity.fingerprint());
            RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
            assertThat(root.<Integer>callRemote("add", 1, 2).get(10, TimeUnit.SECONDS))
                    .isEqualTo(3);
            String big = "x".repeat(100_000); // many TLS records
            assertThat(root.<String>callRemote("echo", big).get(10, TimeUnit.SECONDS))
                    .isEqualTo(big);
            // the root crosses back as the same reference
            assertThat(root.<Object>callRemote("echo", root).get(10, TimeUnit.SECONDS))
                    .isSameAs(root);
        }
    }

    @Test
    void aPlaintextClientIsNotAuthenticated() throws Exception {
        try (PbClient client = PbClient.connect("127.0.0.1", plainServer.port())) {
            assertThat(client.isServerAuthenticated()).isFalse();
            assertThat(client.serverFingerprint()).isEmpty();
        }
    }

    @Test
    void aWrongPinFailsTheConnectNamingBothFingerprints() throws Exception {
        String other = TlsIdentity.selfSigned("impostor").fingerprint();
        long start = System.nanoTime();
        assertThatThrownBy(() -> PbClient.builder().pinServer(other).handshakeTimeout(HANDSHAKE)
                .connect("127.0.0.1", tlsServer.port()))
                .isInstanceOfSatisfying(TlsPinMismatchException.class, e -> {
                    assertThat(e.expected()).isEqualTo(other);
                    assertThat(e.presented()).isEqualTo(identity.fingerprint());
                    assertThat(e.getMessage()).contains(other, identity.fingerprint());
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANDSHAKE);
        assertAPinnedClientStillWorks();
    }

    @Test
    void aClientTrustingTheCertificateConnectsByTheNamesItCarries() throws Exception {
        Path cert = dir.resolve("server.pem");
        identity.writePem(cert, dir.resolve("server-key.pem"));
        for (String host : new String[] {"localhost", "127.0.0.1"}) {
            try (PbClient client = PbClient.builder().trustCertificates(cert)
                    .handshakeTimeout(HANDSHAKE).connect(host, tlsServer.port())) {
                assertThat(client.isServerAuthenticated()).isTrue();
                assertThat(client.serverFingerprint()).contains(identity.fingerprint());
                RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
                assertThat(root.<Integer>callRemote("add", 2, 2).get(10, TimeUnit.SECONDS))
                        .isEqualTo(4);
            }
        }
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        TlsIdentity elsewhere = TlsIdentity.selfSigned("server.example");
        Path cert = dir.resolve("elsewhere.pem");
        elsewhere.writePem(cert, dir.resolve("elsewhere-key.pem"));
        try (PbServer server = PbServer.builder().root(new Calculator()).tls(elsewhere)
                .handshakeTimeout(HANDSHAKE).build().start()) {
            assertThatThrownBy(() -> PbClient.builder().trustCertificates(cert)
                    .handshakeTimeout(HANDSHAKE).connect("127.0.0.1", server.port()))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageContaining("refused")
                    .hasMessageContaining("must name the host");
            // the same certificate pinned is fine: the pin replaces the host name check
            try (PbClient pinned = PbClient.builder().pinServer(elsewhere.fingerprint())
                    .connect("127.0.0.1", server.port())) {
                assertThat(pinned.getRootObject().get(10, TimeUnit.SECONDS)).isNotNull();
            }
        }
    }

    @Test
    void aCertificateFromAnUntrustedIssuerIsRefused() throws Exception {
        Path cert = dir.resolve("unrelated.pem");
        TlsIdentity.selfSigned("localhost", "127.0.0.1")
                .writePem(cert, dir.resolve("unrelated-key.pem"));
        assertThatThrownBy(() -> PbClient.builder().trustCertificates(cert)
                .handshakeTimeout(HANDSHAKE).connect("127.0.0.1", tlsServer.port()))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("refused");
        assertAPinnedClientStillWorks();
    }

    @Test
    void aPlaintextClientOnATlsPortIsToldAndTheServerLogsWhy() throws Exception {
        String log = capturingStderr(() -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> PbClient.builder().handshakeTimeout(HANDSHAKE)
                    .connect("127.0.0.1", tlsServer.port()))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageContaining("speaks TLS")
                    .hasMessageContaining("pinServer");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANDSHAKE);
        });
        assertThat(log).contains("plaintext jpb client").contains("refused");
        assertAPinnedClientStillWorks();
    }

    @Test
    void aTlsClientOnAPlaintextPortGetsATypedErrorAndTheServerLogsWhy() throws Exception {
        String log = capturingStderr(() -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> PbClient.builder().pinServer(identity.fingerprint())
                    .handshakeTimeout(HANDSHAKE).connect("127.0.0.1", plainServer.port()))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageContaining("speaks plaintext jpb");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HANDSHAKE);
        });
        assertThat(log).contains("a TLS client at").contains("plaintext jpb port");
        try (PbClient client = PbClient.connect("127.0.0.1", plainServer.port())) {
            assertThat(client.getRootObject().get(10, TimeUnit.SECONDS)
                    .<Integer>callRemote("add", 1, 1).get(10, TimeUnit.SECONDS)).isEqualTo(2);
        }
    }

    @Test
    void garbageToATlsPortIsClosed() throws Exception {
        byte[] garbage = new byte[512];
        new Random(9).nextBytes(garbage);
        garbage[0] = 'G'; // not a TLS record type, not the jpb magic
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsServer.port()), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(garbage);
            socket.getOutputStream().flush();
            assertThat(drainUntilClosed(socket.getInputStream())).isTrue();
        }
        assertAPinnedClientStillWorks();
    }

    @Test
    void aGarbledClientHelloIsClosedToo() throws Exception {
        byte[] record = new byte[64];
        new Random(10).nextBytes(record);
        // a TLS handshake record header, then nonsense where the ClientHello should be
        record[0] = 0x16;
        record[1] = 0x03;
        record[2] = 0x03;
        record[3] = 0x00;
        record[4] = 59;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsServer.port()), 5000);
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(record);
            socket.getOutputStream().flush();
            assertThat(drainUntilClosed(socket.getInputStream())).isTrue();
        }
        assertAPinnedClientStillWorks();
    }

    @Test
    void aSilentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", tlsServer.port()), 5000);
            socket.setSoTimeout((int) HANDSHAKE.toMillis() * 3);
            assertThat(drainUntilClosed(socket.getInputStream())).isTrue();
        }
        assertAPinnedClientStillWorks();
    }

    @Test
    void aTlsClientFacingASilentServerFailsWithinTheHandshakeTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Duration shortTimeout = Duration.ofMillis(500);
            long start = System.nanoTime();
            assertThatThrownBy(() -> PbClient.builder().pinServer(identity.fingerprint())
                    .handshakeTimeout(shortTimeout).connect("127.0.0.1", silent.getLocalPort()))
                    .isInstanceOf(PbException.class)
                    .hasMessageContaining("TLS");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aMalformedPinIsRefusedAtOnce() {
        assertThatThrownBy(() -> PbClient.builder().pinServer("md5:1234"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sha256:");
    }

    /** Reads until the peer closes; true if it did (false if it only went quiet). */
    private static boolean drainUntilClosed(InputStream in) {
        byte[] buf = new byte[1024];
        try {
            while (in.read(buf) >= 0) {
                // an alert, perhaps; keep reading until the close
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (java.io.IOException e) {
            return true; // reset: closed too
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with System.err captured (slf4j-simple writes there) and returns it. */
    private static String capturingStderr(Body body) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            body.run();
            // the server logs on its own thread, right before it closes the connection
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(
                    () -> captured.toString(StandardCharsets.UTF_8).contains("refused"));
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
