package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The call path's fast paths end to end, under concurrency: a call's header read without a
 * record, the serial queues without a node per task, the inbound call as its own ANSWER
 * message, one-value encoding and decoding, and futures derived from a call's future. Each
 * test checks what those must keep: per-connection order, every answer on its own call.
 */
@Timeout(60)
class CallPathTest {
    /** Records the order calls start in and whether two ever ran at once. */
    public static class Server extends Root {
        final ConcurrentHashMap<Integer, Integer> lastSeq = new ConcurrentHashMap<>();
        final AtomicInteger outOfOrder = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger overlaps = new AtomicInteger();
        final List<String> kinds = new CopyOnWriteArrayList<>();
        final ExecutorService later = Executors.newSingleThreadExecutor();

        /** Checks that {@code sender}'s calls arrive in its send order; answers an id. */
        public long remote_next(int sender, int seq) {
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            Integer previous = lastSeq.put(sender, seq);
            if (previous == null ? seq != 0 : previous + 1 != seq) {
                outOfOrder.incrementAndGet();
            }
            running.decrementAndGet();
            return (long) sender << 32 | seq;
        }

        /** A call without arguments. */
        public String remote_plain() {
            kinds.add("plain");
            return "plain";
        }

        /** A call the test sends with a deadline (a CALL_DEADLINE frame). */
        public String remote_timed(int seq) {
            kinds.add("timed " + seq + " " + CallContext.current().timeRemaining().isPresent());
            return "timed " + seq;
        }

        /** Blocks on a future derived from a call to {@code client}, which calls back here. */
        public long remote_viaClient(RemoteReference client) throws Exception {
            return client.<Long>callRemote("bounce").thenApply(v -> v + 1)
                    .get(15, TimeUnit.SECONDS);
        }

        /** Answers {@code seq}, or fails for every third; half of them from another thread. */
        public CompletableFuture<Integer> remote_mixed(int seq) {
            CompletableFuture<Integer> f = new CompletableFuture<>();
            Runnable answer = () -> {
                if (seq % 3 == 0) {
                    f.completeExceptionally(new PbError("no " + seq));
                } else {
                    f.complete(seq);
                }
            };
            if (seq % 2 == 0) {
                later.execute(answer);
            } else {
                answer.run();
            }
            return f;
        }
    }

    @Test
    void pipelinedCallsFromFourThreadsStartInEachThreadsOrderAndGetTheirOwnAnswers()
            throws Exception {
        Server server = new Server();
        int threads = 4;
        int calls = 2_000; // 8,000 in all: the serial queues link many chunks
        ExecutorService senders = Executors.newFixedThreadPool(threads);
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<CompletableFuture<Long>>>> sent = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int sender = t;
                sent.add(senders.submit(() -> {
                    start.await();
                    List<CompletableFuture<Long>> futures = new ArrayList<>(calls);
                    for (int seq = 0; seq < calls; seq++) {
                        futures.add(root.callRemote("next", sender, seq));
                    }
                    return futures;
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                List<CompletableFuture<Long>> futures = sent.get(t).get(30, TimeUnit.SECONDS);
                for (int seq = 0; seq < calls; seq++) {
                    assertThat(futures.get(seq).get(30, TimeUnit.SECONDS))
                            .as("the answer to sender %d's call %d", t, seq)
                            .isEqualTo((long) t << 32 | seq);
                }
            }
        } finally {
            senders.shutdownNow();
            server.later.shutdownNow();
        }
        assertThat(server.outOfOrder.get()).as("calls that overtook one another").isZero();
        assertThat(server.overlaps.get()).as("calls that ran at once").isZero();
        assertThat(server.lastSeq).hasSize(threads).allSatisfy((sender, last) ->
                assertThat(last).isEqualTo(calls - 1));
    }

    @Test
    void callbacksOfPipelinedAnswersRunOneAtATimeInAnswerOrder() throws Exception {
        Server server = new Server();
        int calls = 4_000;
        List<Integer> completed = new ArrayList<>(); // appended by one callback at a time
        AtomicInteger inCallback = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<?>[] done = new CompletableFuture<?>[calls];
            for (int seq = 0; seq < calls; seq++) {
                int s = seq;
                done[seq] = root.<Long>callRemote("next", 0, seq).whenComplete((v, t) -> {
                    if (inCallback.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    synchronized (completed) {
                        completed.add(t == null && v == s ? s : -1);
                    }
                    inCallback.decrementAndGet();
                });
            }
            CompletableFuture.allOf(done).get(30, TimeUnit.SECONDS);
        } finally {
            server.later.shutdownNow();
        }
        assertThat(overlaps.get()).as("callbacks that ran at once").isZero();
        synchronized (completed) {
            assertThat(completed).hasSize(calls);
            for (int seq = 0; seq < calls; seq++) {
                assertThat(completed.get(seq)).as("completion %d", seq).isEqualTo(seq);
            }
        }
    }

    @Test
    void callsWithoutArgumentsAndWithDeadlinesKeepTheirPlaceAmongTheOthers() throws Exception {
        Server server = new Server();
        int rounds = 1_000;
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            RemoteReference timed = root.withTimeout(Duration.ofSeconds(30));
            List<CompletableFuture<String>> answers = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                answers.add(root.callRemote("plain"));
                answers.add(timed.callRemote("timed", i));
            }
            for (int i = 0; i < rounds; i++) {
                assertThat(answers.get(2 * i).get(30, TimeUnit.SECONDS)).isEqualTo("plain");
                assertThat(answers.get(2 * i + 1).get(30, TimeUnit.SECONDS))
                        .isEqualTo("timed " + i);
            }
        } finally {
            server.later.shutdownNow();
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            expected.add("plain");
            expected.add("timed " + i + " true"); // the deadline arrived with the call
        }
        assertThat(server.kinds).containsExactlyElementsOf(expected);
    }

    @Test
    void answersAndErrorsFromAnyThreadReachTheirOwnCalls() throws Exception {
        Server server = new Server();
        int calls = 3_000;
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            List<CompletableFuture<Integer>> answers = new ArrayList<>(calls);
            for (int seq = 0; seq < calls; seq++) {
                answers.add(root.callRemote("mixed", seq));
            }
            for (int seq = 0; seq < calls; seq++) {
                CompletableFuture<Integer> f = answers.get(seq);
                if (seq % 3 == 0) {
                    int s = seq;
                    assertThat(f).failsWithin(Duration.ofSeconds(30))
                            .withThrowableOfType(ExecutionException.class)
                            .satisfies(e -> assertThat(e.getCause())
                                    .isInstanceOf(PbError.class).hasMessage("no " + s));
                } else {
                    assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(seq);
                }
            }
        } finally {
            server.later.shutdownNow();
        }
    }

    @Test
    void blockingOnADerivedFutureInsideACallGivesUpTheTurnForTheCallsItWaitsFor()
            throws Exception {
        // remote_viaClient blocks on a future derived from a call to the client, whose answer
        // needs the server to serve the client's call to remote_next meanwhile.
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            Bouncer bouncer = new Bouncer(root);
            CompletableFuture<Long> viaClient = root.callRemote("viaClient", bouncer);
            assertThat(viaClient.get(20, TimeUnit.SECONDS)).isEqualTo((7L << 32) + 1);
            CompletableFuture<Long> derived = root.<Long>callRemote("next", 7, 1)
                    .thenApply(v -> v + 1);
            assertThat(derived.getClass().getSimpleName()).isEqualTo("DerivedFuture");
            assertThat(derived.get(10, TimeUnit.SECONDS)).isEqualTo((7L << 32 | 1) + 1);
        } finally {
            server.later.shutdownNow();
        }
        assertThat(server.outOfOrder.get()).isZero();
    }

    /** The client's object: calls the server back, blocking, while the server waits for it. */
    public static class Bouncer extends Referenceable {
        private final RemoteReference server;

        Bouncer(RemoteReference server) {
            this.server = server;
        }

        public long remote_bounce() {
            return server.<Long>callRemote("next", 7, 0).join();
        }
    }
}
