package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PendingCallsTest {
    private final PendingCalls pending = new PendingCalls();

    @Test
    void requestIdsStartAtOneAndNeverRepeat() {
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(1);
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(2);
        pending.remove(2);
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(3);
    }

    @Test
    void aCallIsHandedToOneCompleterOnly() {
        PbFuture<Object> answered = PbFuture.forCall();
        PbFuture<Object> lost = PbFuture.forCall();
        long a = pending.add(answered);
        long b = pending.add(lost);

        assertThat(pending.remove(a)).isSameAs(answered); // its answer arrived
        assertThat(pending.removeAll()).containsExactly(lost); // then the connection closed
        // the outbox, failing the calls it still held, finds nothing left to fail
        assertThat(pending.remove(a)).isNull();
        assertThat(pending.remove(b)).isNull();
        assertThat(pending.size()).isZero();
    }

    @Test
    void aLongPendingCallSurvivesTheRingWrappingAroundIt() {
        PbFuture<Object> slow = PbFuture.forCall();
        long slowId = pending.add(slow);
        List<PbFuture<Object>> later = new ArrayList<>();
        List<Long> laterIds = new ArrayList<>();
        for (int i = 0; i < 2000; i++) { // wraps the ring several times: some overflow
            PbFuture<Object> f = PbFuture.forCall();
            later.add(f);
            laterIds.add(pending.add(f));
        }
        assertThat(pending.size()).isEqualTo(2001);
        assertThat(pending.remove(slowId + 256)).isSameAs(later.get(255)); // not slow's

        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < later.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(7));
        for (int i : order) {
            PbFuture<Object> removed = pending.remove(laterIds.get(i));
            assertThat(removed).isSameAs(i == 255 ? null : later.get(i));
        }
        assertThat(pending.remove(slowId)).isSameAs(slow);
        assertThat(pending.remove(slowId)).isNull();
        assertThat(pending.size()).isZero();
    }

    @Test
    void anIdThatWasNeverSentRemovesNothing() {
        PbFuture<Object> f = PbFuture.forCall();
        long id = pending.add(f);

        assertThat(pending.remove(id + 256)).isNull(); // same slot, another id
        assertThat(pending.remove(0)).isNull();
        assertThat(pending.remove(-1)).isNull();
        assertThat(pending.remove(id)).isSameAs(f);
    }

    @Test
    void concurrentAddersAndOneRemoverHandEveryCallOutOnce() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        BlockingQueue<Long> sent = new LinkedBlockingQueue<>();
        Set<PbFuture<Object>> taken = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int t = 0; t < threads; t++) {
                pool.execute(() -> {
                    for (int i = 0; i < perThread; i++) {
                        sent.add(pending.add(PbFuture.forCall()));
                    }
                });
            }
            for (int i = 0; i < threads * perThread; i++) {
                long id = sent.poll(10, TimeUnit.SECONDS);
                PbFuture<Object> f = pending.remove(id);
                assertThat(f).as("call %d", id).isNotNull();
                assertThat(f.pendingId).isEqualTo(id);
                assertThat(taken.add(f)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(pending.size()).isZero();
        assertThat(pending.removeAll()).isEmpty();
    }
}
