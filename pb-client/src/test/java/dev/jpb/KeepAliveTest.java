package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keepalive against frozen peers: raw sockets that do the handshake (announcing keepalive,
 * feature bit 2) and then neither read nor answer anything.
 */
@Timeout(60)
class KeepAliveTest {
    private static final Duration INTERVAL = Duration.ofMillis(300);
    private static final int DEADLINES = 1 << 2;

    public static class Plain extends Root {
        public int remote_one() {
            return 1;
        }
    }

    @Test
    void aClientDropsAFrozenServerWithinThreeIntervalsFailingItsPendingCalls() throws Exception {
        try (ServerSocket frozen = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Socket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    Socket s = frozen.accept();
                    s.getOutputStream().write(RawPeer.hello(1, 1 << 24, DEADLINES));
                    new DataInputStream(s.getInputStream()).readFully(new byte[16]);
                    return s; // and then: nothing, ever
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Before connect(): the silence starts at the hello, read before connect() returns.
            long connected = System.nanoTime();
            try (PbClient client = PbClient.builder().keepAlive(INTERVAL)
                    .connect("127.0.0.1", frozen.getLocalPort())) {
                CompletableFuture<RemoteReference> root = client.getRootObject();
                assertThatThrownBy(() -> root.get(20, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(ConnectionLostException.class);
                long silentFor = System.nanoTime() - connected;
                assertThat(silentFor).isGreaterThanOrEqualTo(INTERVAL.toNanos() * 3);
                // 3 to 3.5 intervals; generous for a loaded machine
                assertThat(silentFor).isLessThan(INTERVAL.toNanos() * 3 + 3_000_000_000L);
                assertThat(client.connection().isOpen()).isFalse();
            } finally {
                accepted.get(10, TimeUnit.SECONDS).close();
            }
        }
    }

    @Test
    void aServerDropsAFrozenClient() throws Exception {
        try (Loopback lo = new Loopback(new Plain(), b -> b.keepAlive(INTERVAL));
                RawPeer raw = new RawPeer(lo.server.port())) {
            raw.in.readFully(new byte[16]);
            raw.send(RawPeer.hello(1, 1 << 24, DEADLINES)); // then frozen
            await().atMost(Duration.ofSeconds(10)).until(() -> lo.server.connectionCount() == 1);
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> lo.server.connectionCount() == 0);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(
                    INTERVAL.toNanos() * 2); // it was silent since before 'start'
        }
    }

    @Test
    void aPeerWithoutKeepAliveInItsHelloIsNeverDroppedForSilence() throws Exception {
        try (Loopback lo = new Loopback(new Plain(), b -> b.keepAlive(INTERVAL));
                RawPeer raw = new RawPeer(lo.server.port())) {
            raw.handshake(); // features 0: an older jpb
            await().atMost(Duration.ofSeconds(10)).until(() -> lo.server.connectionCount() == 1);
            await().during(INTERVAL.multipliedBy(5)).atMost(INTERVAL.multipliedBy(10))
                    .until(() -> lo.server.connectionCount() == 1);
        }
    }

    @Test
    void idleJpbPeersWithKeepAliveStayConnected() throws Exception {
        try (Loopback lo = new Loopback(new Plain(), b -> b.keepAlive(INTERVAL))) {
            PbClient client = lo.client(b -> b.keepAlive(INTERVAL));
            RemoteReference root = get(client.getRootObject());
            // Idle for 5 intervals: pings and pongs keep both ends alive.
            await().during(INTERVAL.multipliedBy(5)).atMost(INTERVAL.multipliedBy(10))
                    .until(() -> client.connection().isOpen()
                            && lo.server.connectionCount() == 1);
            assertThat(get(root.<Integer>callRemote("one"))).isEqualTo(1);
        }
    }
}
