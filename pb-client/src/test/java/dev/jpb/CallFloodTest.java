package dev.jpb;

import static dev.jpb.Loopback.echoesWithinASecond;
import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that ignores back-pressure: past maxInFlightCalls the server holds new calls while it
 * goes on reading answers, but only up to a bound, then stops reading that socket. Run with a
 * small heap (the "hostile" execution, -Xmx256m): holding all 400 MiB the peer writes would
 * fail it.
 */
@Tag("hostile")
@Timeout(60)
class CallFloodTest {
    private static final int CALL = 1;
    private static final int ANSWER = 2;
    private static final int ROOT = 6;

    public static class Server extends Root {
        final CompletableFuture<Void> held = new CompletableFuture<>();

        public CompletableFuture<Void> remote_hold() {
            return held;
        }

        public int remote_echo(int i) {
            return i;
        }
    }

    private static final int FRAMES = 6400;

    @Test
    void aFloodOfCallsPastTheLimitIsHeldWithinABoundAndOthersAreStillAnswered()
            throws Exception {
        Server server = new Server();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Loopback lo = new Loopback(server, b -> b.ioThreads(1)
                .limits(Limits.builder().maxInFlightCalls(1).build()))) {
            RemoteReference good = get(lo.client().getRootObject()); // on the same I/O thread
            try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
                raw.sendFrame(new RawPeer.Body(ROOT).varint(1).build());
                byte[] answer = raw.readFrame(ANSWER);
                int rootId = answer[4]; // 02 01 | REFERENCE 01, new 01, id
                raw.sendFrame(new RawPeer.Body(CALL).varint(2).varint(rootId).string("hold")
                        .varint(0).build()); // in flight: the limit is reached
                byte[] junk = new byte[64 * 1024]; // never decoded while held
                AtomicInteger sent = new AtomicInteger();
                Future<?> flood = writer.submit(() -> {
                    for (int i = 0; i < FRAMES; i++) { // 400 MiB
                        raw.sendFrame(new RawPeer.Body(CALL).varint(3 + i).varint(rootId)
                                .string("hold").varint(1).build0(junk));
                        sent.incrementAndGet();
                    }
                    return null;
                });
                echoesWithinASecond(good);
                // The server stops reading: the writer blocks, short of the flood, connected.
                RawPeer.awaitStalled(sent::get, flood, Duration.ofSeconds(20));
                assertThat(sent.get()).isLessThan(FRAMES / 4);
                echoesWithinASecond(good);
                raw.socket.close(); // the held calls are dropped with the connection
                try {
                    flood.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                }
            }
            server.held.complete(null);
            assertThat(get(good.<Integer>callRemote("echo", 7))).isEqualTo(7);
            good.release();
        } finally {
            writer.shutdownNow();
        }
    }
}
