package dev.jpb.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.ClientCertificateRefusedException;
import dev.jpb.PbException;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.internal.tls.TlsDetection.FirstBytes;
import dev.jpb.internal.wire.Hello;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes over real sockets on 127.0.0.1 with plain Netty pipelines: the contexts of
 * {@link TlsContexts}, the pin check, PKIX with hostname verification, and the refusal of
 * plaintext and garbage by {@link ExpectTlsHandler}.
 */
@Timeout(30)
class TlsContextsTest {
    private static final TlsIdentity SERVER = TlsIdentity.selfSigned("jpb-test");
    private static TlsNet net;
    private static int pinnedPort;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        net = new TlsNet();
        pinnedPort = net.tlsEchoServer(TlsContexts.server(SERVER), 2_000);
    }

    @AfterAll
    static void stop() {
        net.close();
    }

    @Test
    void pinnedClientTalksToTheServerWithThatFingerprintOverTls13() throws Exception {
        TlsNet.Probe probe = net.tlsClient(TlsContexts.pinnedClient(SERVER.fingerprint()),
                "127.0.0.1", pinnedPort, true);

        assertThat(probe.roundTrip("ping").get(10, TimeUnit.SECONDS)).isEqualTo("ping");
        assertThat(probe.handshake.get()).isEqualTo("TLSv1.3");
        assertThat(probe.ssl.engine().getSession().getPeerCertificates()[0])
                .isEqualTo(SERVER.certificate());
    }

    @Test
    void pinAcceptsTheOpensslColonForm() throws Exception {
        String hex = SERVER.fingerprint().substring("sha256:".length()).toUpperCase();
        StringBuilder colons = new StringBuilder("SHA256 Fingerprint=");
        for (int i = 0; i < hex.length(); i += 2) {
            colons.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        assertThat(TlsContexts.normalizeFingerprint(colons.toString()))
                .isEqualTo(SERVER.fingerprint());
        TlsNet.Probe probe = net.tlsClient(TlsContexts.pinnedClient(colons.toString()),
                "127.0.0.1", pinnedPort, true);
        assertThat(probe.roundTrip("ok").get(10, TimeUnit.SECONDS)).isEqualTo("ok");
    }

    @Test
    void malformedPinIsRefusedAtOnce() {
        assertThatThrownBy(() -> TlsContexts.pinnedClient("sha256:abc"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> TlsContexts.pinnedClient("md5:" + "0".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinMismatchFailsTheHandshakeNamingBothFingerprints() throws Exception {
        String otherPin = TlsIdentity.selfSigned("someone-else").fingerprint();
        TlsNet.Probe probe = net.tlsClient(TlsContexts.pinnedClient(otherPin), "127.0.0.1",
                pinnedPort, true);

        Throwable failure = failureOf(probe.handshake);
        PbException typed = TlsFailures.translate(failure, "127.0.0.1:" + pinnedPort);

        assertThat(typed).isInstanceOf(TlsPinMismatchException.class);
        TlsPinMismatchException mismatch = (TlsPinMismatchException) typed;
        assertThat(mismatch.expected()).isEqualTo(otherPin);
        assertThat(mismatch.presented()).isEqualTo(SERVER.fingerprint());
        assertThat(mismatch.getMessage()).contains(otherPin, SERVER.fingerprint());
        assertThat(probe.closed).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(probe.echoed).isNotDone();
    }

    @Test
    void caTrustedClientAcceptsACertificateIssuedForTheHost() throws Exception {
        TestCa ca = new TestCa();
        int port = serverWithLeaf(ca, ca.issue("jpb-server", "localhost", "ip:127.0.0.1"));
        Path caFile = dir.resolve("ca.pem");
        Pem.writeCertificates(caFile, List.of(ca.certificate));

        for (String host : List.of("127.0.0.1", "localhost")) {
            TlsNet.Probe probe = net.tlsClient(TlsContexts.trustingClient(caFile), host, port,
                    true);
            assertThat(probe.roundTrip("via " + host).get(10, TimeUnit.SECONDS))
                    .isEqualTo("via " + host);
        }
    }

    @Test
    void caTrustedClientRefusesACertificateForAnotherHost() throws Exception {
        TestCa ca = new TestCa();
        int port = serverWithLeaf(ca, ca.issue("elsewhere", "elsewhere.example"));

        TlsNet.Probe probe = net.tlsClient(TlsContexts.trustingClient(List.of(ca.certificate)),
                "127.0.0.1", port, true);

        Throwable failure = failureOf(probe.handshake);
        assertThat(failure).hasRootCauseInstanceOf(CertificateException.class);
        assertThat(rootMessage(failure)).contains("127.0.0.1");
        PbException typed = TlsFailures.translate(failure, "127.0.0.1:" + port);
        assertThat(typed).isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("must name the host");
        assertThat(probe.echoed).isNotDone();
    }

    @Test
    void caTrustedClientRefusesACertificateFromAnUnknownAuthority() throws Exception {
        TestCa trusted = new TestCa();
        TestCa stranger = new TestCa();
        int port = serverWithLeaf(stranger, stranger.issue("jpb-server", "ip:127.0.0.1"));

        TlsNet.Probe probe = net.tlsClient(
                TlsContexts.trustingClient(List.of(trusted.certificate)), "127.0.0.1", port, true);

        Throwable failure = failureOf(probe.handshake);
        assertThat(TlsFailures.translate(failure, "x")).isInstanceOf(TlsHandshakeException.class);
        assertThat(failure).hasStackTraceContaining("PKIX");
    }

    @Test
    void selfSignedCertificateWithLocalhostNamesCanBeTrustedDirectly() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("jpb-server", "localhost", "127.0.0.1");
        int port = net.tlsEchoServer(TlsContexts.server(identity), 2_000);
        Path cert = dir.resolve("server.pem");
        identity.writePem(cert, dir.resolve("server.key"));

        TlsNet.Probe probe = net.tlsClient(TlsContexts.trustingClient(cert), "localhost", port,
                true);

        assertThat(probe.roundTrip("direct").get(10, TimeUnit.SECONDS)).isEqualTo("direct");
    }

    @Test
    void mutualTlsLetsTheServerIdentifyAClientByItsFingerprint() throws Exception {
        int port = net.server(p -> {
            SslHandler ssl = TlsContexts.server(SERVER, true).newHandler(p.channel().alloc());
            p.addLast(ssl, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    io.netty.util.ReferenceCountUtil.release(msg);
                    String who = TlsContexts.peerFingerprint(ssl.engine().getSession())
                            .orElse("none");
                    ctx.writeAndFlush(Unpooled.copiedBuffer(who, StandardCharsets.US_ASCII));
                }
            });
        });
        TlsIdentity client = TlsIdentity.selfSigned("alice-laptop");

        TlsNet.Probe withCertificate = net.tlsClient(
                TlsContexts.pinnedClient(SERVER.fingerprint(), client), "127.0.0.1", port, true);
        TlsNet.Probe without = net.tlsClient(TlsContexts.pinnedClient(SERVER.fingerprint()),
                "127.0.0.1", port, true);

        assertThat(withCertificate.request("who?", client.fingerprint().length())
                .get(10, TimeUnit.SECONDS)).isEqualTo(client.fingerprint());
        assertThat(without.request("who?", 4).get(10, TimeUnit.SECONDS)).isEqualTo("none");
        assertThat(TlsContexts.peerFingerprint(withCertificate.ssl.engine().getSession()))
                .contains(SERVER.fingerprint());
    }

    @Test
    void aClientLimitedToTls12IsAcceptedAndStillPinned() throws Exception {
        TlsNet.Probe probe = net.tlsClient(tls12Client(SERVER.fingerprint(), null),
                "127.0.0.1", pinnedPort, true);

        assertThat(probe.roundTrip("over 1.2").get(10, TimeUnit.SECONDS))
                .isEqualTo("over 1.2");
        assertThat(probe.handshake.get()).isEqualTo("TLSv1.2");

        String otherPin = TlsIdentity.selfSigned("someone-else").fingerprint();
        TlsNet.Probe mismatch = net.tlsClient(tls12Client(otherPin, null), "127.0.0.1",
                pinnedPort, true);
        PbException typed = TlsFailures.translate(failureOf(mismatch.handshake),
                "127.0.0.1:" + pinnedPort);
        assertThat(typed).isInstanceOf(TlsPinMismatchException.class);
        assertThat(((TlsPinMismatchException) typed).presented()).isEqualTo(SERVER.fingerprint());
    }

    @Test
    void aTls12ClientWithoutACertificateIsToldTheServerRequiresOne() throws Exception {
        TlsIdentity alice = TlsIdentity.selfSigned("alice-laptop");
        SslContext requiring = TlsContexts.server(SERVER, List.of(alice.fingerprint()), List.of());
        CompletableFuture<Throwable> serverFailure = new CompletableFuture<>();
        int port = net.server(p -> {
            SslHandler ssl = requiring.newHandler(p.channel().alloc());
            ssl.handshakeFuture().addListener(f -> serverFailure.complete(
                    f.isSuccess() ? null : TlsFailures.translate(f.cause(), "the client", true,
                            ssl.engine())));
            p.addLast(ssl, new TlsNet.Echo());
        });

        TlsNet.Probe without = net.tlsClient(tls12Client(SERVER.fingerprint(), null),
                "127.0.0.1", port, true);
        Throwable failure = failureOf(without.handshake);
        // The engine has forgotten the handshake by now: alone, it cannot say what was sent
        // (JDK 17's server alerts bad_certificate, JDK 25's handshake_failure).
        assertThat(TlsFailures.translate(failure, "127.0.0.1:" + port, false,
                without.ssl.engine())).isInstanceOf(TlsHandshakeException.class)
                .hasMessageNotContaining("presented none");
        PbException typed = TlsFailures.translate(failure, "127.0.0.1:" + port, false,
                without.ssl.engine(), TlsContexts.presentsCertificate(
                        TlsContexts.pinnedClient(SERVER.fingerprint())));

        // TLS 1.2 refuses inside the handshake (a bad_certificate alert), where TLS 1.3 refuses
        // after the client's Finished: both reach the client as the same typed error.
        assertThat(typed).isInstanceOf(ClientCertificateRefusedException.class)
                .hasMessageMatching("(?s).*(requires a client certificate and this client"
                        + " presented none|after this client presented no certificate).*")
                .hasMessageContaining("clientIdentity");
        assertThat(serverFailure.get(10, TimeUnit.SECONDS))
                .isInstanceOf(TlsHandshakeException.class).hasMessageContaining("presented no certificate");

        assertThat(TlsContexts.presentsCertificate(
                TlsContexts.pinnedClient(SERVER.fingerprint(), alice))).isTrue();
        assertThat(TlsContexts.presentsCertificate(requiring)).isNull();
        TlsNet.Probe with = net.tlsClient(tls12Client(SERVER.fingerprint(), alice), "127.0.0.1",
                port, true);
        assertThat(with.roundTrip("alice").get(10, TimeUnit.SECONDS)).isEqualTo("alice");
        assertThat(with.handshake.get()).isEqualTo("TLSv1.2");
    }

    @Test
    void garbageOnTheTlsPortClosesThatConnectionAndAGoodClientStillWorks() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", pinnedPort)) {
            raw.setSoTimeout(5_000);
            raw.getOutputStream().write(
                    "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readAll(raw.getInputStream())).isEmpty(); // closed, nothing sent back
        }
        TlsNet.Probe good = net.tlsClient(TlsContexts.pinnedClient(SERVER.fingerprint()),
                "127.0.0.1", pinnedPort, true);
        assertThat(good.roundTrip("still here").get(10, TimeUnit.SECONDS))
                .isEqualTo("still here");
    }

    @Test
    void plaintextJpbClientOnTheTlsPortGetsATlsAlertItCanExplain() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", pinnedPort)) {
            raw.setSoTimeout(5_000);
            ByteBuf hello = Unpooled.buffer();
            new Hello(Hello.MAJOR, Hello.MINOR, 0, 1 << 24).writeTo(hello);
            byte[] bytes = new byte[hello.readableBytes()];
            hello.readBytes(bytes).release();
            raw.getOutputStream().write(bytes);

            byte[] answer = readAll(raw.getInputStream());
            assertThat(answer).startsWith(0x15, 0x03, 0x03); // a TLS alert record, then EOF
            ByteBuf in = Unpooled.wrappedBuffer(answer);
            assertThat(TlsDetection.classify(in)).isEqualTo(FirstBytes.TLS);
            in.release();
            assertThat(TlsDetection.clientExpectedPlaintext(FirstBytes.TLS,
                    raw.getRemoteSocketAddress())).contains("speaks TLS", "pinServer");
        }
    }

    @Test
    void silentClientIsClosedByTheHandshakeTimeout() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", pinnedPort)) {
            raw.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(raw.getInputStream().read()).isEqualTo(-1);
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(8));
        }
    }

    @Test
    void tlsClientOnAPlaintextJpbPortGetsATypedErrorNotAHang() throws Exception {
        // A plaintext jpb endpoint sends its hello at once on connect.
        int port = net.server(p -> p.addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ByteBuf hello = ctx.alloc().buffer();
                new Hello(Hello.MAJOR, Hello.MINOR, 0, 1 << 24).writeTo(hello);
                ctx.writeAndFlush(hello);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        }));

        TlsNet.Probe probe = net.tlsClient(TlsContexts.pinnedClient(SERVER.fingerprint()),
                "127.0.0.1", port, true);

        Throwable error = probe.firstError.get(10, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("speaks plaintext jpb, not TLS");
        assertThat(TlsFailures.translate(error, "x")).isSameAs(error);
        assertThat(probe.closed).succeedsWithin(10, TimeUnit.SECONDS);
        assertThat(probe.handshake).isCompletedExceptionally();
    }

    @Test
    void aTlsClientHelloIsRecognisedByAPlaintextPort() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            plain.setSoTimeout(10_000);
            TlsNet.Probe probe = net.tlsClient(TlsContexts.pinnedClient(SERVER.fingerprint()),
                    "127.0.0.1", plain.getLocalPort(), false);
            try (Socket accepted = plain.accept()) {
                accepted.setSoTimeout(10_000);
                byte[] first = accepted.getInputStream().readNBytes(Hello.LENGTH);
                ByteBuf in = Unpooled.wrappedBuffer(first);
                assertThat(TlsDetection.classify(in)).isEqualTo(FirstBytes.TLS);
                in.release();
                assertThat(TlsDetection.refusedOnPlaintextPort(FirstBytes.TLS,
                        new InetSocketAddress("127.0.0.1", 1))).contains("TLS client");
            }
            assertThat(probe.closed).succeedsWithin(10, TimeUnit.SECONDS);
        }
    }

    private int serverWithLeaf(TestCa ca, TestCa.Leaf leaf) {
        Path chain = dir.resolve("chain-" + System.nanoTime() + ".pem");
        Path key = dir.resolve("key-" + System.nanoTime() + ".pem");
        Pem.writeCertificates(chain, List.of(leaf.certificate(), ca.certificate));
        Pem.writePrivateKey(key, leaf.keys().getPrivate());
        TlsIdentity identity = TlsIdentity.fromPem(chain, key);
        assertThat(identity.certificateChain()).hasSize(2);
        SslContext context = TlsContexts.server(identity);
        return net.tlsEchoServer(context, 5_000);
    }

    private static SslContext tls12Client(String pin, TlsIdentity identity) throws Exception {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.2")
                .trustManager(new PinningTrustManager(TlsContexts.normalizeFingerprint(pin)))
                .endpointIdentificationAlgorithm(null);
        if (identity != null) {
            builder.keyManager(identity.privateKey(), identity.certificateChain());
        }
        return builder.build();
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the handshake succeeded but should have failed");
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return String.valueOf(root.getMessage());
    }

    private static byte[] readAll(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[256];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
