package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker's concurrency over real sockets: back-pressure, ordering, refusals, releases. */
@Timeout(60)
class BrokerConcurrencyTest {
    public static class Server extends Root {
        final List<Integer> seen = new CopyOnWriteArrayList<>();

        /** Calls back into the client and waits for its answer, holding a call in flight. */
        public int remote_ask(RemoteReference client, int i) throws Exception {
            return client.<Integer>callRemote("twice", i).get(20, TimeUnit.SECONDS);
        }

        public int remote_record(int i) {
            seen.add(i);
            return i;
        }

        public Referenceable remote_make() {
            return new Thing();
        }

        public boolean remote_take(Referenceable thing) {
            return thing instanceof Thing;
        }
    }

    public static class Thing extends Referenceable {
    }

    public static class Twice extends Referenceable {
        public int remote_twice(int i) {
            return 2 * i;
        }
    }

    @Test
    void answersAreReadWhileCallsWaitAtTheInFlightLimit() throws Exception {
        int limit = 4;
        try (Loopback lo = new Loopback(new Server(),
                b -> b.limits(Limits.builder().maxInFlightCalls(limit).build()))) {
            RemoteReference root = get(lo.client().getRootObject());
            Twice twice = new Twice();
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 3 * limit; i++) {
                calls.add(root.callRemote("ask", twice, i));
            }
            for (int i = 0; i < calls.size(); i++) {
                assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
    }

    @Test
    void callsStartInArrivalOrderUnderBackPressure() throws Exception {
        Server server = new Server();
        int n = 4000;
        try (Loopback lo = new Loopback(server,
                b -> b.limits(Limits.builder().maxInFlightCalls(2).build()))) {
            RemoteReference root = get(lo.client().getRootObject());
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                calls.add(root.callRemote("record", i));
            }
            for (CompletableFuture<Integer> c : calls) {
                c.get(30, TimeUnit.SECONDS);
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            assertThat(server.seen).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void callsTheExecutorRefusesAreAnsweredAndReadsGoOn() throws Exception {
        ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newCachedThreadPool();
        AtomicBoolean refuse = new AtomicBoolean();
        Executor refusing = task -> {
            if (refuse.get()) {
                throw new RejectedExecutionException("test executor refuses");
            }
            pool.execute(task);
        };
        Server server = new Server();
        try (Loopback lo = new Loopback(server, b -> b.executor(refusing)
                .limits(Limits.builder().maxInFlightCalls(4).build()))) {
            RemoteReference root = get(lo.client().getRootObject());
            // The turn that served the root must be over: a live turn takes new calls without
            // asking the executor.
            await().atMost(Duration.ofSeconds(5)).until(() -> pool.getActiveCount() == 0);
            refuse.set(true);
            List<CompletableFuture<Integer>> refused = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                refused.add(root.callRemote("record", i));
            }
            for (CompletableFuture<Integer> f : refused) {
                Throwable thrown = catchThrowable(() -> f.get(10, TimeUnit.SECONDS));
                assertThat(thrown).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(CallRejectedException.class)
                        .hasMessageContaining("refused");
            }
            assertThat(server.seen).isEmpty(); // no user code ran instead, on any thread
            refuse.set(false);
            assertThat(get(root.<Integer>callRemote("record", 99))).isEqualTo(99);
            assertThat(server.seen).containsExactly(99);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void releaseRightAfterASendTakesEffectAfterIt() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            for (int i = 0; i < 300; i++) {
                RemoteReference thing = get(root.callRemote("make"));
                CompletableFuture<Boolean> took = root.callRemote("take", thing);
                thing.release();
                assertThat(get(took)).as("take #%s", i).isTrue();
            }
            root.release();
            lo.assertTablesDrain();
        }
    }

    /** A root whose rootObject blocks on a jpb call: the connection's turn is given up. */
    public static class BlockingRoot extends Root {
        final AtomicInteger made = new AtomicInteger();
        final RemoteReference slow;

        BlockingRoot(RemoteReference slow) {
            this.slow = slow;
        }

        @Override
        public Referenceable rootObject(Connection connection) {
            made.incrementAndGet();
            slow.callRemote("await").join();
            return new Server();
        }
    }

    public static class Gate extends Root {
        final CountDownLatch open = new CountDownLatch(1);
        final CountDownLatch entered = new CountDownLatch(1);

        public void remote_await() throws InterruptedException {
            entered.countDown();
            open.await(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void rootObjectRunsOnceWhenItBlocks() throws Exception {
        Gate gate = new Gate();
        try (Loopback other = new Loopback(gate)) {
            RemoteReference slow = get(other.client().getRootObject());
            BlockingRoot root = new BlockingRoot(slow);
            try (Loopback lo = new Loopback(root)) {
                var client = lo.client();
                CompletableFuture<RemoteReference> first = client.getRootObject();
                assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
                CompletableFuture<RemoteReference> second = client.getRootObject();
                // The first gave up the connection's turn: the second is served meanwhile, and
                // must wait for the first's root instead of making another.
                await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                        .until(() -> root.made.get() == 1 && !second.isDone());
                gate.open.countDown();
                assertThat(get(first)).isSameAs(get(second));
                assertThat(root.made).hasValue(1);
            }
        }
    }
}
