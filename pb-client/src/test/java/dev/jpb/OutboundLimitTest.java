package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A slow reader (a raw socket that hands the server one of its objects and then stops
 * reading) flooded with {@code callRemoteOnly}: the server's queued bytes stay bounded by
 * maxQueuedOutboundBytes, calls to it fail at once, and past the grace it is disconnected.
 */
@Timeout(60)
class OutboundLimitTest {
    private static final long MAX = 1 << 20;
    private static final byte[] PAYLOAD = new byte[16 * 1024];

    public static class Hub extends Root {
        final CompletableFuture<RemoteReference> taken = new CompletableFuture<>();

        public void remote_take(RemoteReference ref) {
            taken.complete(ref);
        }
    }

    /** Connects, hands over its object 1 and then never reads again. */
    private static Socket slowReader(int port) throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout(10_000);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        in.readFully(new byte[16]);
        out.write(RawPeer.hello(1, 1 << 24));
        out.write(frame(new RawPeer.Body(6).varint(1).build())); // ROOT, request 1
        byte[] answer = readFrame(in);
        assertThat(answer[0]).isEqualTo((byte) 2); // ANSWER 1: REFERENCE to export id 1
        // CALL 2 -> object 1, "take", 1 argument: REFERENCE (class 1), new (1), export id 1
        out.write(frame(new RawPeer.Body(1).varint(2).varint(1).string("take").varint(1)
                .raw(1, 1, 1).build()));
        out.flush();
        return s;
    }

    /**
     * Sends one-way calls until the server stays unwritable for a second: the kernel's socket
     * buffers (which grow as they fill) are full too, and since the peer reads nothing that
     * state lasts.
     */
    private static void floodUntilStalled(RemoteReference ref) {
        Connection c = ref.connection();
        for (int round = 0; round < 100; round++) {
            while (c.isWritable()) {
                for (int i = 0; i < 64; i++) {
                    ref.callRemoteOnly("x", (Object) PAYLOAD);
                }
                Thread.yield(); // let the I/O thread encode what is queued
            }
            try {
                await().atMost(Duration.ofSeconds(1)).until(c::isWritable);
            } catch (ConditionTimeoutException stalled) {
                return;
            }
        }
        throw new AssertionError("the server never stayed unwritable");
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    private static byte[] readFrame(DataInputStream in) throws Exception {
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return body;
    }

    @Test
    void aFloodToASlowReaderStaysBoundedAndLaterCallsFailAtOnce() throws Exception {
        Hub hub = new Hub();
        Limits limits = Limits.builder().maxQueuedOutboundBytes(MAX)
                .maxOutboundStall(Duration.ofSeconds(30)).build();
        try (Loopback lo = new Loopback(hub, b -> b.limits(limits));
                Socket reader = slowReader(lo.server.port())) {
            RemoteReference ref = hub.taken.get(10, TimeUnit.SECONDS);
            Connection connection = ref.connection();
            AtomicInteger unwritable = new AtomicInteger();
            connection.onWritabilityChanged(w -> {
                if (!w) {
                    unwritable.incrementAndGet();
                }
            });
            floodUntilStalled(ref);
            await().atMost(Duration.ofSeconds(10)).until(() -> unwritable.get() > 0);
            // Every message queued meanwhile has been encoded or refused: the gauge is bounded.
            // The kernel may still take some of it as its socket buffers grow; above the low
            // mark (half the limit) the connection stays unwritable, and calls are refused.
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(connection.queuedOutboundBytes())
                            .isGreaterThan(MAX / 2)
                            .isLessThanOrEqualTo(MAX + 2 * (PAYLOAD.length + 64)));
            assertThat(connection.isWritable()).isFalse();
            long before = System.nanoTime();
            CompletableFuture<Object> refused = ref.callRemote("x", (Object) PAYLOAD);
            assertThat(refused).isCompletedExceptionally(); // at once, nothing queued
            assertThat(System.nanoTime() - before).isLessThan(TimeUnit.SECONDS.toNanos(1));
            assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LimitExceededException.class)
                    .hasMessageContaining("maxQueuedOutboundBytes");
            assertThat(connection.queuedOutboundBytes())
                    .isLessThanOrEqualTo(MAX + 2 * (PAYLOAD.length + 64));
        }
    }

    @Test
    void aPeerThatStaysOverTheLimitPastTheGraceIsDisconnected() throws Exception {
        Hub hub = new Hub();
        Limits limits = Limits.builder().maxQueuedOutboundBytes(MAX)
                .maxOutboundStall(Duration.ofMillis(500)).build();
        try (Loopback lo = new Loopback(hub, b -> b.limits(limits));
                Socket reader = slowReader(lo.server.port())) {
            RemoteReference ref = hub.taken.get(10, TimeUnit.SECONDS);
            floodUntilStalled(ref);
            await().atMost(Duration.ofSeconds(20)).until(() -> !ref.connection().isOpen());
            assertThat(lo.server.connectionCount()).isZero();
        }
    }
}
