package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Deadlines over real sockets: {@code withTimeout}, the callee's view, inheritance. */
@Timeout(60)
class DeadlineTest {
    public static class Slow extends Root {
        final CountDownLatch release = new CountDownLatch(1);
        final CompletableFuture<Boolean> sawCancelled = new CompletableFuture<>();
        final AtomicInteger counted = new AtomicInteger();
        final CountDownLatch blocking = new CountDownLatch(1);

        public String remote_slow() throws InterruptedException {
            release.await(20, TimeUnit.SECONDS);
            // The callee's own deadline timer or the caller's CANCEL marks the call: either may
            // land just after the caller saw its deadline pass (a GC pause between them), so
            // wait for it rather than read it once.
            CallContext call = CallContext.current();
            try {
                await().atMost(Duration.ofSeconds(10)).until(call::isCancelled);
            } catch (ConditionTimeoutException e) {
                // not cancelled: the test's assertion says so
            }
            sawCancelled.complete(call.isCancelled());
            return "late";
        }

        public long remote_remaining() {
            return CallContext.current().timeRemaining().map(Duration::toMillis).orElse(-1L);
        }

        /** Holds the connection's turn until released, then for {@code extraMillis} more. */
        public void remote_block(long extraMillis) throws InterruptedException {
            blocking.countDown();
            release.await(20, TimeUnit.SECONDS);
            Thread.sleep(extraMillis); // the work: longer than the queued call's deadline
        }

        public void remote_count() {
            counted.incrementAndGet();
        }

        public int remote_counted() {
            return counted.get();
        }

        public int remote_one() {
            return 1;
        }
    }

    /** A typed view of {@link Slow}. */
    public interface SlowApi {
        String slow();

        CompletableFuture<String> slowAsync();

        long remaining();
    }

    /** The leaf of a two-hop chain: reports what it sees of the deadline. */
    public static class Leaf extends Root {
        public long remote_remaining() {
            return CallContext.current().timeRemaining().map(Duration::toMillis).orElse(-1L);
        }
    }

    /** The middle of the chain: asks the leaf, over its own client, while serving a call. */
    public static class Middle extends Root {
        volatile RemoteReference leaf;

        public List<Long> remote_hop() throws Exception {
            long mine = CallContext.current().timeRemaining().map(Duration::toMillis)
                    .orElse(-1L);
            long theirs = leaf.<Long>callRemote("remaining").get(10, TimeUnit.SECONDS);
            return List.of(mine, theirs);
        }
    }

    @Test
    void callPastItsDeadlineFailsWithDeadlineExceededAndTheCalleeSeesItCancelled()
            throws Exception {
        Slow slow = new Slow();
        try (Loopback lo = new Loopback(slow)) {
            PbClient client = lo.client(b -> b.limits(Limits.builder().maxViolations(1).build()));
            RemoteReference root = get(client.getRootObject());
            long start = System.nanoTime();
            CompletableFuture<String> f = root.withTimeout(Duration.ofMillis(300))
                    .callRemote("slow");
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DeadlineExceededException.class)
                    .hasMessageContaining("remote_slow");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(
                    TimeUnit.MILLISECONDS.toNanos(300));
            slow.release.countDown();
            assertThat(slow.sawCancelled.get(10, TimeUnit.SECONDS)).isTrue();
            // the late answer is dropped without a violation (maxViolations 1 would close)
            assertThat(get(root.<Integer>callRemote("one"))).isEqualTo(1);
            assertThat(client.connection().isOpen()).isTrue();
        }
    }

    @Test
    void typedProxiesOfTheViewCarryTheDeadline() throws Exception {
        Slow slow = new Slow();
        try (Loopback lo = new Loopback(slow)) {
            RemoteReference root = get(lo.client().getRootObject());
            SlowApi api = root.withTimeout(Duration.ofMillis(200)).as(SlowApi.class);
            assertThatThrownBy(api::slow).isInstanceOf(DeadlineExceededException.class);
            assertThatThrownBy(() -> api.slowAsync().get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOf(DeadlineExceededException.class);
            slow.release.countDown(); // the slow calls hold the turn until then
            assertThat(root.withTimeout(Duration.ofSeconds(30)).as(SlowApi.class).remaining())
                    .isBetween(1L, 30_000L);
        }
    }

    @Test
    void theCalleeSeesTheTimeRemainingAndNoneWithoutADeadline() throws Exception {
        try (Loopback lo = new Loopback(new Slow())) {
            RemoteReference root = get(lo.client().getRootObject());
            long left = get(root.withTimeout(Duration.ofSeconds(20)).<Long>callRemote(
                    "remaining"));
            assertThat(left).isBetween(1L, 20_000L);
            assertThat(get(root.<Long>callRemote("remaining"))).isEqualTo(-1L);
        }
    }

    @Test
    void aCallWhoseDeadlinePassedBeforeItStartsIsNotRun() throws Exception {
        Slow slow = new Slow();
        try (Loopback lo = new Loopback(slow)) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<Void> blocker = root.callRemote("block", 300L);
            slow.blocking.await(10, TimeUnit.SECONDS); // it holds the turn: calls queue behind
            CompletableFuture<Void> queued = root.withTimeout(Duration.ofMillis(100))
                    .callRemote("count");
            assertThatThrownBy(() -> get(queued)).cause()
                    .isInstanceOf(DeadlineExceededException.class);
            slow.release.countDown(); // the blocker works 300 ms more: the deadline passes
            get(blocker);
            assertThat(get(root.<Integer>callRemote("counted"))).isZero();
        }
    }

    @Test
    void nestedCallsInheritTheRemainingDeadlineTwoHopsDeep() throws Exception {
        try (PbServer leafServer = PbServer.builder().root(new Leaf()).bind("127.0.0.1", 0)
                .build().start();
                PbClient toLeaf = PbClient.connect("127.0.0.1", leafServer.port())) {
            Middle middle = new Middle();
            middle.leaf = get(toLeaf.getRootObject());
            try (Loopback lo = new Loopback(middle)) {
                RemoteReference root = get(lo.client().getRootObject());
                List<Long> seen = get(root.withTimeout(Duration.ofSeconds(20))
                        .<List<Long>>callRemote("hop"));
                assertThat(seen.get(0)).isBetween(1L, 20_000L);
                assertThat(seen.get(1)).isBetween(1L, seen.get(0));
                List<Long> none = get(root.<List<Long>>callRemote("hop"));
                assertThat(none).containsExactly(-1L, -1L);
            }
        }
    }

    @Test
    void withTimeoutRefusesANonPositiveDuration() throws Exception {
        try (Loopback lo = new Loopback(new Slow())) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThatThrownBy(() -> root.withTimeout(Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
            assertThatThrownBy(() -> root.withTimeout(Duration.ofSeconds(-1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
