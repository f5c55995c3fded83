package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bytes no jpb peer would send, through raw sockets, while a well-behaved client keeps working
 * on the same server.
 */
@Timeout(60)
class HostileInputTest {
    private static final int CALL = 1;
    private static final int ERROR = 3;
    private static final int TYPES = 5;
    private static final int ROOT = 6;

    public static class Echo extends Root {
        public Object remote_echo(Object o) {
            return o;
        }
    }

    private Loopback lo;
    private RemoteReference good;

    @BeforeEach
    void start() throws Exception {
        lo = new Loopback(new Echo(), b -> b.limits(Limits.builder().maxFrameBytes(1 << 20)
                .build()));
        good = get(lo.client().getRootObject());
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(get(good.<String>callRemote("echo", "still fine"))).isEqualTo("still fine");
        lo.close();
    }

    @Test
    void oversizedFrameClosesOnlyThatConnection() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.send(new byte[] {0, 0x20, 0, 0}); // 2 MiB > the 1 MiB limit
            raw.send(new byte[1024]);
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void forgedHugeLengthAllocatesNothingAndCloses() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.send(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void httpRequestIsRejected() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port())) {
            raw.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void randomNoiseIsRejected() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 5; i++) {
            try (RawPeer raw = new RawPeer(lo.server.port())) {
                byte[] noise = new byte[4096];
                random.nextBytes(noise);
                raw.send(noise);
                assertThat(raw.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void noiseAfterAValidHandshakeIsRejected() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 5; i++) {
            try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
                byte[] noise = new byte[4096];
                random.nextBytes(noise);
                noise[0] = 0;
                noise[1] = 0;
                noise[2] = 0x0f; // a plausible length, then garbage
                raw.send(noise);
                raw.send(new byte[4096]);
                assertThat(raw.closedByPeer()).isTrue();
            }
        }
    }

    @Test
    void truncatedFrameThenHangUpLeavesTheServerFine() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.send(new byte[] {0, 0, 0, 100, CALL, 1, 1});
        }
    }

    @Test
    void unknownMessageKindCloses() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.sendFrame(new byte[] {99, 1, 2, 3});
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void callToAnUnknownObjectIdIsAnsweredAndTheConnectionLives() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.sendFrame(new RawPeer.Body(CALL).varint(1).varint(424242).string("echo")
                    .varint(0).build());
            String error = new String(raw.readFrame(ERROR), StandardCharsets.UTF_8);
            assertThat(error).contains("dev.jpb.NoSuchObjectException").contains("424242");
            raw.sendFrame(new RawPeer.Body(ROOT).varint(2).build());
            assertThat(raw.readFrame(2)[1]).isEqualTo((byte) 2); // the answer to request 2
        }
    }

    @Test
    void unknownClassNameIsAnsweredForbiddenAndTheConnectionLives() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1)
                    .string("java.lang.ProcessBuilder").build());
            raw.sendFrame(new RawPeer.Body(CALL).varint(1).varint(1).string("echo").varint(1)
                    .varint(16).raw(1, 0).build());
            String error = new String(raw.readFrame(ERROR), StandardCharsets.UTF_8);
            assertThat(error).contains("dev.jpb.ForbiddenTypeException")
                    .contains("java.lang.ProcessBuilder");
            raw.sendFrame(new RawPeer.Body(ROOT).varint(2).build());
            assertThat(raw.readFrame(2)[1]).isEqualTo((byte) 2);
        }
    }

    @Test
    void collectionLongerThanTheFrameIsRefusedWithoutAllocating() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            // a LIST (type 3), new object (1), claiming 2^30 elements
            raw.sendFrame(new RawPeer.Body(CALL).varint(1).varint(1).string("echo").varint(1)
                    .raw(3, 1).varint(1 << 30).build());
            String error = new String(raw.readFrame(ERROR), StandardCharsets.UTF_8);
            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("larger than the");
            // and a byte[] (a named type) claiming 2^30 bytes
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1).string("[B").build());
            raw.sendFrame(new RawPeer.Body(CALL).varint(2).varint(1).string("echo").varint(1)
                    .varint(16).raw(1).varint(1 << 30).build());
            assertThat(new String(raw.readFrame(ERROR), StandardCharsets.UTF_8))
                    .contains("LimitExceededException");
        }
    }

    @Test
    void repeatedViolationsCloseTheOffender() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
            for (int i = 1; i <= 16; i++) {
                raw.sendFrame(new RawPeer.Body(CALL).varint(i).varint(1).string("echo")
                        .varint(1).raw(3, 1).varint(1 << 30).build());
            }
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void nestingDeeperThanTheLimitIsAnsweredWithATypedError() throws Exception {
        PbClient deep = lo.client(b -> b.limits(Limits.builder().maxDepth(1000).build()));
        RemoteReference root = get(deep.getRootObject());
        Object nested = "bottom";
        for (int i = 0; i < 200; i++) {
            nested = List.of(nested);
        }
        Object arg = nested;
        assertThatThrownBy(() -> get(root.callRemote("echo", arg))).cause()
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("maxDepth");
        assertThat(get(root.<Integer>callRemote("echo", 1))).isEqualTo(1);
        // our own limit refuses to send it at once
        assertThatThrownBy(() -> get(good.callRemote("echo", arg))).cause()
                .isInstanceOf(LimitExceededException.class).hasMessageContaining("maxDepth");
    }

    @Test
    void callerSendingMoreThanTheFrameLimitFailsAtOnce() throws Exception {
        // the server accepts 1 MiB; the client's own default is 16 MiB: the smaller wins
        assertThatThrownBy(() -> get(good.callRemote("echo", (Object) new byte[2 << 20])))
                .cause().isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxFrameBytes");
        byte[] fits = new byte[(1 << 20) - 64]; // just under the limit, header included
        assertThat(get(good.<byte[]>callRemote("echo", (Object) fits))).hasSize(fits.length);
    }

    @Test
    void manyHostilePeersAtOnceDoNotDisturbAWellBehavedClient() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<CompletableFuture<Boolean>> attacks = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int seed = i;
                attacks.add(CompletableFuture.supplyAsync(() -> {
                    try (RawPeer raw = new RawPeer(lo.server.port())) {
                        byte[] noise = new byte[8192];
                        new Random(seed).nextBytes(noise);
                        raw.send(noise);
                        return raw.closedByPeer();
                    } catch (IOException e) {
                        return true; // reset by the server is fine too
                    }
                }, pool));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(get(good.<Integer>callRemote("echo", i))).isEqualTo(i);
            }
            for (CompletableFuture<Boolean> a : attacks) {
                assertThat(get(a)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void clientRejectsAPeerThatIsNotJpb() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = fake.accept(); OutputStream o = s.getOutputStream()) {
                    o.write("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    new DataInputStream(s.getInputStream()).read(new byte[64]);
                } catch (IOException e) {
                    // the client hung up
                }
            });
            assertThatThrownBy(() -> PbClient.connect("127.0.0.1", fake.getLocalPort()))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("not a jpb endpoint").hasMessageContaining("HTTP/1.1");
        }
    }

    @Test
    void clientRejectsAnotherMajorVersionClearly() throws Exception {
        try (ServerSocket fake = new ServerSocket(0)) {
            CompletableFuture.runAsync(() -> {
                try (Socket s = fake.accept(); OutputStream o = s.getOutputStream()) {
                    o.write(RawPeer.hello(2, 1 << 20));
                    o.flush();
                    new DataInputStream(s.getInputStream()).read(new byte[64]);
                } catch (IOException e) {
                    // the client hung up
                }
            });
            assertThatThrownBy(() -> PbClient.connect("127.0.0.1", fake.getLocalPort()))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("protocol 2.0");
        }
    }

    @Test
    void serverClosesAPeerOfAnotherMajorVersion() throws Exception {
        try (RawPeer raw = new RawPeer(lo.server.port())) {
            raw.send(RawPeer.hello(2, 1 << 20));
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void silentPeersAreDroppedAfterTheHandshakeTimeout() throws Exception {
        try (PbServer strict = PbServer.builder().root(new Echo())
                .handshakeTimeout(Duration.ofMillis(300)).build().start();
                RawPeer raw = new RawPeer(strict.port())) {
            assertThat(raw.closedByPeer()).isTrue();
        }
        try (ServerSocket silent = new ServerSocket(0)) {
            assertThatThrownBy(() -> PbClient.builder().handshakeTimeout(Duration.ofMillis(300))
                    .connect("127.0.0.1", silent.getLocalPort()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("handshake");
        }
    }
}
