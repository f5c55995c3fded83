package dev.jpb;

import static dev.jpb.Loopback.get;
import static dev.jpb.Loopback.remoteFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link NonBlocking} methods: on the I/O thread when the connection is idle, in order. */
@Timeout(60)
class NonBlockingTest {
    public static class Server extends Root {
        final List<Integer> seen = new CopyOnWriteArrayList<>();
        final List<String> events = new CopyOnWriteArrayList<>();
        final CountDownLatch slowEntered = new CountDownLatch(1);
        final CountDownLatch releaseSlow = new CountDownLatch(1);
        volatile CompletableFuture<Integer> later;

        @NonBlocking
        public String remote_where() {
            return Thread.currentThread().getName();
        }

        public String remote_whereUnmarked() {
            return Thread.currentThread().getName();
        }

        @NonBlocking
        public void remote_recordMarked(int i) {
            seen.add(i);
        }

        public void remote_record(int i) {
            seen.add(i);
        }

        /** Holds the connection's turn (it blocks on a latch, not on a jpb future). */
        public void remote_slow() throws InterruptedException {
            events.add("slow started");
            slowEntered.countDown();
            releaseSlow.await(30, TimeUnit.SECONDS);
            events.add("slow done");
        }

        @NonBlocking
        public String remote_fast() {
            events.add("fast");
            return Thread.currentThread().getName();
        }

        @NonBlocking
        public int remote_fail(String message) {
            throw new IllegalStateException(message);
        }

        /** Breaks its promise: blocks on a nested call from the I/O thread. */
        @NonBlocking
        public int remote_joinOnClient(RemoteReference client) {
            return client.<Integer>callRemote("ping").join();
        }

        @NonBlocking
        public CompletableFuture<Integer> remote_later() {
            later = new CompletableFuture<>();
            return later;
        }
    }

    @Test
    void markedMethodRunsOnTheIoThreadAndUnmarkedOnTheExecutor() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            awaitIdle(root);
            assertThat(get(root.<String>callRemote("where"))).startsWith("jpb-server-io-");
            assertThat(get(root.<String>callRemote("whereUnmarked")))
                    .startsWith("jpb-server-").doesNotContain("-io-");
        }
    }

    // The root request takes the connection's turn on the executor and frees it just after its
    // answer is sent, so a call made at once may still find the connection busy (and run on the
    // executor, as it must): wait until a marked call finds the connection idle.
    private static void awaitIdle(RemoteReference root) {
        await().atMost(Duration.ofSeconds(10)).until(
                () -> get(root.<String>callRemote("where")).startsWith("jpb-server-io-"));
    }

    /** The client half of {@code joinOnClient}. */
    public static class Pinged extends Referenceable {
        public int remote_ping() {
            return 7;
        }
    }

    @Test
    void markedMethodBlockingOnAJpbFutureFailsItsCallerAndTheConnectionLivesOn()
            throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            awaitIdle(root);
            RemoteCallException e = remoteFailure(root.callRemote("joinOnClient", new Pinged()));
            assertThat(e.remoteType()).isEqualTo(BlockingCallException.class.getName());
            assertThat(e.remoteMessage()).contains("jpb-server-io-");
            assertThat(get(root.<String>callRemote("where"))).contains("-io-");
            root.release();
            lo.assertTablesDrain(); // the nested call's reference was given back
        }
    }

    @Test
    void markedMethodWaitsForAnEarlierCallThatHoldsTheTurn() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<Object> slow = root.callRemote("slow");
            assertThat(server.slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<String> fast = root.callRemote("fast");
            // fast arrives while slow runs: it must not overtake it
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> !fast.isDone() && !server.events.contains("fast"));
            server.releaseSlow.countDown();
            get(slow);
            assertThat(get(fast)).doesNotContain("-io-"); // queued, so it ran on the executor
            assertThat(server.events).containsExactly("slow started", "slow done", "fast");
        }
    }

    @Test
    void markedAndUnmarkedCallsKeepArrivalOrder() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                root.callRemoteOnly(i % 3 == 0 ? "record" : "recordMarked", i);
                expected.add(i);
            }
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(server.seen).hasSize(4000));
            assertThat(server.seen).isEqualTo(expected);
        }
    }

    @Test
    void markedMethodFailureIsAnsweredAsAnError() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            awaitIdle(root);
            RemoteCallException e = remoteFailure(root.callRemote("fail", "boom"));
            assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.remoteMessage()).isEqualTo("boom");
            assertThat(get(root.<String>callRemote("where"))).contains("-io-"); // still serving
        }
    }

    @Test
    void markedMethodReturningAStageIsAnsweredWhenItCompletes() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            awaitIdle(root);
            CompletableFuture<Integer> answer = root.callRemote("later");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.later != null);
            // the I/O thread is free meanwhile: other calls are served
            assertThat(get(root.<String>callRemote("where"))).contains("-io-");
            assertThat(answer).isNotDone();
            server.later.complete(42);
            assertThat(get(answer)).isEqualTo(42);
        }
    }
}
