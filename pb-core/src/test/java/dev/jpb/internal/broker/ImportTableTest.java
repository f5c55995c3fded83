package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.internal.wire.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ImportTableTest {
    private final Queue<ImportTable.Entry> released = new ConcurrentLinkedQueue<>();
    private final ImportTable table = new ImportTable(null, 1_000, released::add);
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Takes effect for every release handed over so far; returns the receipts given back. */
    private long takeEffect() {
        long total = 0;
        ImportTable.Entry e;
        while ((e = released.poll()) != null) {
            total += e.leave();
        }
        return total;
    }

    @Test
    void racingReceiptsAndReleasesLoseNoReceiptAndLeaveNothingBehind() throws Exception {
        int threads = 4;
        int rounds = 20_000;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < rounds; i++) {
                    // another thread may hold the same proxy (one per id, as in PB) and
                    // release it at any moment
                    table.receive(7).release();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> w : workers) {
            w.get(20, TimeUnit.SECONDS);
        }

        assertThat(takeEffect()).as("every receipt given back")
                .isEqualTo((long) threads * rounds);
        assertThat(table.size()).isZero();
    }

    @Test
    void aProxyBeingReleasedIsNotHandedOutAgain() {
        DefaultRemoteReference p = table.receive(7);
        p.release(); // begun; it takes effect later, in send order

        DefaultRemoteReference again = table.receive(7);

        assertThat(again).isNotSameAs(p);
        assertThat(again.isReleased()).isFalse();
        assertThat(takeEffect()).as("the old entry gives back its one receipt").isEqualTo(1);
        assertThat(table.size()).as("the new proxy's entry stays").isEqualTo(1);
        again.release();
        assertThat(takeEffect()).isEqualTo(1);
    }

    @Test
    void aReceiptCountPastIntegerMaxValueIsGivenBackWhole() {
        DefaultRemoteReference p = table.receive(7);
        p.entry().count.set(Integer.MAX_VALUE);
        assertThat(table.receive(7)).isSameAs(p);

        p.release();

        long back = takeEffect();
        assertThat(back).isEqualTo(Integer.MAX_VALUE + 1L);
        List<Frame.Decref.Pair> pairs = new ArrayList<>();
        Outbox.addDecrefs(pairs, 7, back);
        assertThat(pairs).as("each pair's count fits a uvarint32")
                .containsExactly(new Frame.Decref.Pair(7, Integer.MAX_VALUE),
                        new Frame.Decref.Pair(7, 1));
    }

    @Test
    void aReleaseTakesEffectOnlyWhenItsTurnComes() {
        DefaultRemoteReference p = table.receive(7);

        p.release();

        assertThat(p.isReleased()).isTrue();
        assertThat(p.isGoneOnTheWire()).as("sends queued before the release still go out")
                .isFalse();
        assertThat(takeEffect()).isEqualTo(1);
        assertThat(p.isGoneOnTheWire()).isTrue();
        assertThat(table.receive(7)).as("received again after: a new proxy").isNotSameAs(p);
    }
}
