package dev.jpb;

import static dev.jpb.Loopback.get;
import static dev.jpb.Loopback.remoteFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ThreadingTest {
    public static class Server extends Root {
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> gate = new CompletableFuture<>();
        final CompletableFuture<Integer> held = new CompletableFuture<>();

        public void remote_record(int i) {
            seen.add(i);
        }

        public String remote_thread() {
            return Thread.currentThread().getName();
        }

        public int remote_add(int a, int b) {
            return a + b;
        }

        /** Answers when the test completes {@link #held}. */
        public CompletableFuture<Integer> remote_held() {
            return held;
        }

        /** Answered once the test opens {@link #gate}. */
        public CompletableFuture<Void> remote_wait() {
            return gate;
        }

        /** Blocks on a call to the client: refused on an event loop (a direct executor). */
        public int remote_joinOnClient(RemoteReference client) {
            return client.<Integer>callRemote("bounce", 0).join();
        }

        /** Calls the client, which calls back into this server, blocking all the way. */
        public int remote_reenter(RemoteReference client, int depth) throws Exception {
            if (depth == 0) {
                return 0;
            }
            return 1 + client.<Integer>callRemote("bounce", depth - 1).get(10, TimeUnit.SECONDS);
        }
    }

    /** The client half of the re-entrant ping-pong. */
    public static class Bouncer extends Referenceable {
        RemoteReference server;

        public int remote_bounce(int depth) throws Exception {
            if (depth == 0) {
                return 0;
            }
            return 1 + server.<Integer>callRemote("reenter", this, depth - 1).join();
        }
    }

    @Test
    void userCodeRunsOffTheEventLoops() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThat(get(root.<String>callRemote("thread"))).startsWith("jpb-server-")
                    .doesNotContain("-io-");
            String completer = root.<Integer>callRemote("add", 1, 2)
                    .thenApply(v -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            assertThat(completer).doesNotContain("-io-");
        }
    }

    @Test
    void twoThousandOneWayCallsArriveInOrder() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            for (int i = 0; i < 2000; i++) {
                root.callRemoteOnly("record", i);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(server.seen).hasSize(2000));
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                expected.add(i);
            }
            assertThat(server.seen).isEqualTo(expected);
        }
    }

    @Test
    void reentrantBlockingCallsComplete() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            PbClient client = lo.client();
            Bouncer bouncer = new Bouncer();
            bouncer.server = get(client.getRootObject());
            // server -> client -> server -> ... six levels, each blocking on the next
            assertThat(get(bouncer.server.<Integer>callRemote("reenter", bouncer, 6)))
                    .isEqualTo(6);
        }
    }

    @Test
    void aRemoteMethodBlockingOnTheEventLoopFailsItsCallerAndTheConnectionLivesOn()
            throws Exception {
        try (Loopback lo = new Loopback(new Server(), b -> b.executor(Runnable::run))) {
            RemoteReference root = get(lo.client().getRootObject());

            RemoteCallException e = remoteFailure(root.callRemote("joinOnClient", new Bouncer()));

            assertThat(e.remoteType()).isEqualTo(BlockingCallException.class.getName());
            assertThat(e.remoteMessage()).contains("jpb-server-io-")
                    .contains("would deadlock").contains("non-direct executor");
            assertThat(get(root.<Integer>callRemote("add", 1, 2))).isEqualTo(3);
        }
    }

    @Test
    void aCallbackOnTheClientsEventLoopBlockingOnAPendingCallIsRefused() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client(b -> b.executor(Runnable::run)).getRootObject());
            CompletableFuture<Object> pending = root.callRemote("wait");
            CompletableFuture<String> callbackThread = new CompletableFuture<>();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();

            // Answered only once the callback is attached: an answer arriving before that
            // would run the callback on this thread, which may block.
            root.<Integer>callRemote("held").thenAccept(sum -> {
                callbackThread.complete(Thread.currentThread().getName());
                try {
                    pending.get();
                    refused.complete(null);
                } catch (Throwable t) {
                    refused.complete(t);
                }
            });
            server.held.complete(3);

            assertThat(get(refused)).isInstanceOf(BlockingCallException.class)
                    .hasMessageContaining("would deadlock");
            assertThat(get(callbackThread)).startsWith("jpb-client-io-");
            server.gate.complete(null);
            assertThat(get(pending)).isNull();
            assertThat(get(root.<Integer>callRemote("add", 2, 3))).isEqualTo(5);
        }
    }

    @Test
    void aCallbackOnTheClientsEventLoopReadsDoneFutures() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client(b -> b.executor(Runnable::run)).getRootObject());
            CompletableFuture<Integer> first = root.callRemote("add", 1, 2);
            get(first);
            // answered only once the test completes 'held', so thenRun below is attached first
            CompletableFuture<Integer> second = root.callRemote("held");
            CompletableFuture<String> seen = new CompletableFuture<>();

            second.thenRun(() -> {
                try {
                    seen.complete(Thread.currentThread().getName() + " " + first.get() + " "
                            + first.join() + " " + first.get(1, TimeUnit.SECONDS) + " "
                            + second.get());
                } catch (Throwable t) {
                    seen.completeExceptionally(t);
                }
            });

            server.held.complete(7);
            assertThat(get(seen)).startsWith("jpb-client-io-").endsWith(" 3 3 3 7");
        }
    }

    @Test
    void eightThreadsTimesTwoThousandConcurrentCallsAreAllAnsweredCorrectly() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> workers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int base = t * 1_000_000;
                    workers.add(pool.submit(() -> {
                        List<CompletableFuture<Integer>> calls = new ArrayList<>();
                        for (int i = 0; i < 2000; i++) {
                            calls.add(root.callRemote("add", base, i));
                        }
                        int ok = 0;
                        for (int i = 0; i < 2000; i++) {
                            if (calls.get(i).get(60, TimeUnit.SECONDS) == base + i) {
                                ok++;
                            }
                        }
                        return ok;
                    }));
                }
                for (Future<Integer> w : workers) {
                    assertThat(w.get(90, TimeUnit.SECONDS)).isEqualTo(2000);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void backPressurePausesReadingButLosesNothing() throws Exception {
        Limits limits = Limits.builder().maxInFlightCalls(4).build();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        java.util.concurrent.atomic.AtomicInteger started =
                new java.util.concurrent.atomic.AtomicInteger();
        Root root = new Root() {
            public CompletableFuture<Void> remote_wait() {
                started.incrementAndGet();
                return gate;
            }
        };
        try (Loopback lo = new Loopback(root, b -> b.limits(limits))) {
            RemoteReference ref = get(lo.client().getRootObject());
            List<CompletableFuture<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(ref.callRemote("wait"));
            }
            // four calls are being served; the server stopped reading the other 96
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                    .until(() -> started.get() == 4);
            gate.complete(null);
            for (CompletableFuture<Object> c : calls) {
                get(c);
            }
            assertThat(started).hasValue(100);
        }
    }
}
