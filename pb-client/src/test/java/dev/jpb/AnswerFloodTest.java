package dev.jpb;

import static dev.jpb.Loopback.echoesWithinASecond;
import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.internal.PlatformDependent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A raw-socket peer that sends cheap calls with big answers as fast as it can and never reads
 * a byte back: the answers cannot leave, so the server must hold its calls, then stop reading
 * that socket, rather than queue their answers. Run with a small heap (the "hostile" execution,
 * -Xmx256m): queueing the 122 GiB of answers the peer asks for would fail it at once.
 */
@Tag("hostile")
@Timeout(90)
class AnswerFloodTest {
    private static final int CALL = 1;
    private static final int ANSWER = 2;
    private static final int ROOT = 6;
    private static final int CALLS = 2_000_000;
    private static final int BATCH = 100;
    private static final byte[] BLOB = new byte[64 * 1024];

    public static class Server extends Root {
        public byte[] remote_blob() {
            return BLOB; // 64 KiB of answer for ~10 bytes of call
        }

        public int remote_echo(int i) {
            return i;
        }
    }

    private static ResourceLeakDetector.Level leakLevel;

    /**
     * Paranoid leak tracking records a stack trace per byte read: the server would take
     * minutes over the calls it read before back-pressure set in, and the test would measure
     * that instead. Sampled tracking still reports a leak.
     */
    @BeforeAll
    static void sampleLeaks() {
        leakLevel = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
    }

    @AfterAll
    static void restoreLeakLevel() {
        ResourceLeakDetector.setLevel(leakLevel);
    }


    /**
     * Heap used after a GC plus direct memory (the JDK's direct buffers, and Netty's own count
     * of those it allocates without a cleaner), in bytes.
     */
    static long memoryInUse() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        System.gc();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(
                BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                direct += pool.getMemoryUsed();
            }
        }
        return mx.getHeapMemoryUsage().getUsed() + direct
                + Math.max(0, PlatformDependent.usedDirectMemory());
    }

    @Test
    void aPeerThatNeverReadsItsAnswersIsNoLongerReadAndOthersAreStillAnswered()
            throws Exception {
        Server server = new Server();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (Loopback lo = new Loopback(server, b -> b.ioThreads(1)
                // What the server queues for a peer that does not read is bounded by the outbound
                // limit (its write-buffer watermark) plus the answers of the calls in flight.
                .limits(Limits.builder().maxInFlightCalls(64)
                        .maxQueuedOutboundBytes(4 << 20).build()))) {
            RemoteReference good = get(lo.client().getRootObject()); // on the same I/O thread
            echoesWithinASecond(good);
            long before = memoryInUse();
            try (RawPeer raw = new RawPeer(lo.server.port()).handshake()) {
                raw.sendFrame(new RawPeer.Body(ROOT).varint(1).build());
                byte[] answer = raw.readFrame(ANSWER);
                int rootId = answer[4]; // 02 01 | REFERENCE 01, new 01, id
                AtomicInteger sent = new AtomicInteger();
                Future<?> flood = writer.submit(() -> {
                    ByteArrayOutputStream batch = new ByteArrayOutputStream();
                    for (int i = 0; i < CALLS; i += BATCH) {
                        batch.reset();
                        for (int j = 0; j < BATCH; j++) {
                            byte[] body = new RawPeer.Body(CALL).varint(2 + i + j)
                                    .varint(rootId).string("blob").varint(0).build();
                            batch.write(body.length >>> 24);
                            batch.write(body.length >>> 16);
                            batch.write(body.length >>> 8);
                            batch.write(body.length);
                            batch.write(body, 0, body.length);
                        }
                        raw.send(batch.toByteArray());
                        sent.addAndGet(BATCH);
                    }
                    return null;
                });
                // The server stops reading: the writer blocks, short of the flood, connected.
                RawPeer.awaitStalled(sent::get, flood, Duration.ofSeconds(40));
                long held = memoryInUse() - before;
                assertThat(held).as("bytes the server holds for the peer that does not read "
                        + "(%s calls sent)", sent.get()).isLessThan(64L << 20);
                echoesWithinASecond(good);
                raw.socket.close();
                try {
                    flood.get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                }
            }
            echoesWithinASecond(good);
            good.release();
        } finally {
            writer.shutdownNow();
        }
    }
}
