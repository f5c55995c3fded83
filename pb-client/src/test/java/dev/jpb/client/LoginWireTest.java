package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a login puts on the wire, recorded by a TCP proxy between client and server: never the
 * password, in any encoding, nor its plain SHA-256; over TLS not even the user name.
 */
@Timeout(60)
class LoginWireTest {
    private static final String PASSWORD = "pässwörd-Ω-42";

    /** An avatar that says its name. */
    public static final class User extends Avatar {
        final String name;

        User(String name) {
            this.name = name;
        }

        /** The user's name. */
        public String perspective_name() {
            return name;
        }
    }

    /** Forwards one connection to a target, recording every byte in both directions. */
    static final class RecordingProxy implements AutoCloseable {
        final ServerSocket listening;
        final ByteArrayOutputStream recorded = new ByteArrayOutputStream();
        final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
        final ByteArrayOutputStream fromServer = new ByteArrayOutputStream();
        final CountDownLatch done = new CountDownLatch(2);
        private Socket client;
        private Socket server;

        RecordingProxy(int targetPort) throws IOException {
            listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    client = listening.accept();
                    server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    pump(client.getInputStream(), server.getOutputStream(), fromClient);
                    pump(server.getInputStream(), client.getOutputStream(), fromServer);
                } catch (IOException e) {
                    done.countDown();
                    done.countDown();
                }
            }, "proxy-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listening.getLocalPort();
        }

        private void pump(InputStream in, OutputStream out, ByteArrayOutputStream copy) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (recorded) {
                            recorded.write(buf, 0, n);
                            if (copy != null) {
                                copy.write(buf, 0, n);
                            }
                        }
                        out.write(buf, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // one side closed: the other pump ends too
                } finally {
                    closeQuietly();
                    done.countDown();
                }
            }, "proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        /** Returns what the client has sent so far. */
        byte[] fromClientBytes() {
            synchronized (recorded) {
                return fromClient.toByteArray();
            }
        }

        byte[] bytes() {
            synchronized (recorded) {
                return recorded.toByteArray();
            }
        }

        private void closeQuietly() {
            try {
                if (client != null) {
                    client.close();
                }
                if (server != null) {
                    server.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws Exception {
            listening.close();
            closeQuietly();
        }
    }

    private static PbServer server(TlsIdentity tls) {
        PbServer.Builder b = PbServer.builder()
                .realm((String id, RemoteReference mind, Connection c) -> new User(id))
                .passwords(Passwords.create().add("alice", PASSWORD.toCharArray()));
        if (tls != null) {
            b.tls(tls);
        }
        return b.build().start();
    }

    private static byte[] record(PbServer server, PbClient.Builder builder) throws Exception {
        return record(server, builder, null);
    }

    private static byte[] record(PbServer server, PbClient.Builder builder,
            ByteArrayOutputStream[] sides) throws Exception {
        try (RecordingProxy proxy = new RecordingProxy(server.port());
                PbClient client = builder.connect("127.0.0.1", proxy.port())) {
            RemoteReference perspective = client.login("alice", PASSWORD.toCharArray(), null)
                    .get(10, TimeUnit.SECONDS);
            assertThat(perspective.<String>callRemote("name").get(10, TimeUnit.SECONDS))
                    .isEqualTo("alice");
            client.close();
            assertThat(proxy.done.await(10, TimeUnit.SECONDS)).isTrue();
            if (sides != null) {
                synchronized (proxy.recorded) {
                    proxy.fromClient.writeTo(sides[0]);
                    proxy.fromServer.writeTo(sides[1]);
                }
            }
            return proxy.bytes();
        }
    }

    private static void assertNoPassword(byte[] stream) throws Exception {
        byte[] utf8 = PASSWORD.getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(utf8);
        for (byte[] secret : new byte[][] {
                utf8,
                PASSWORD.getBytes(StandardCharsets.UTF_16BE),
                PASSWORD.getBytes(StandardCharsets.UTF_16LE),
                PASSWORD.getBytes(StandardCharsets.ISO_8859_1),
                "pässwörd".getBytes(StandardCharsets.UTF_8), // a prefix, too
                sha256,
                HexFormat.of().formatHex(sha256).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(sha256),
                Base64.getEncoder().encode(utf8)}) {
            assertThat(indexOf(stream, secret)).as("secret of %d bytes", secret.length)
                    .isEqualTo(-1);
        }
    }

    @Test
    void thePasswordAndItsHashNeverCrossThePlaintextWire() throws Exception {
        try (PbServer server = server(null)) {
            ByteArrayOutputStream[] sides = {new ByteArrayOutputStream(),
                new ByteArrayOutputStream()};
            byte[] stream = record(server, PbClient.builder(), sides);
            if (Boolean.getBoolean("jpb.dumpLoginCapture")) { // for docs/protocol.md §13.2
                java.nio.file.Files.write(java.nio.file.Path.of("target/login-client.bin"),
                        sides[0].toByteArray());
                java.nio.file.Files.write(java.nio.file.Path.of("target/login-server.bin"),
                        sides[1].toByteArray());
            }
            // The exchange is there (the recording is real): the user name and SCRAM fields.
            assertThat(indexOf(stream, "n,,n=alice,r=".getBytes(StandardCharsets.US_ASCII)))
                    .isNotNegative();
            assertThat(indexOf(stream, "SCRAM-SHA-256".getBytes(StandardCharsets.US_ASCII)))
                    .isNotNegative();
            assertNoPassword(stream);
        }
    }

    @Test
    void overTlsNotEvenTheUserNameIsVisible() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("localhost");
        try (PbServer server = server(identity)) {
            byte[] stream = record(server, PbClient.builder().pinServer(identity.fingerprint()));
            assertThat(stream.length).isGreaterThan(1000); // a TLS handshake and records
            assertThat(indexOf(stream, "alice".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(-1);
            assertThat(indexOf(stream, "SCRAM".getBytes(StandardCharsets.US_ASCII)))
                    .isEqualTo(-1);
            assertNoPassword(stream);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
