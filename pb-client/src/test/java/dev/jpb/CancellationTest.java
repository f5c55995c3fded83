package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code future.cancel(true)} on a call, seen by the callee, over real sockets. */
@Timeout(60)
class CancellationTest {
    public static class Work extends Root {
        final AtomicInteger counted = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CompletableFuture<Boolean> sawCancelled = new CompletableFuture<>();
        final CompletableFuture<String> returned = new CompletableFuture<>();
        final CountDownLatch release = new CountDownLatch(1);

        /** Waits for the caller's go (a call back to it), holding its in-flight slot. */
        public String remote_block(RemoteReference caller) throws Exception {
            entered.countDown();
            return caller.<String>callRemote("go").get(20, TimeUnit.SECONDS);
        }

        public void remote_count() {
            counted.incrementAndGet();
        }

        public void remote_countWith(Object ignored) {
            counted.incrementAndGet();
        }

        /** Answers, after the release, with a new object by reference. */
        public Referenceable remote_latchedRef() throws InterruptedException {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return new Go();
        }

        public int remote_counted() {
            return counted.get();
        }

        /** Works until its caller cancels it (the polling is the work, not the test's). */
        public String remote_spin() {
            entered.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!CallContext.current().isCancelled() && System.nanoTime() < end) {
                LockSupport.parkNanos(1_000_000);
            }
            sawCancelled.complete(CallContext.current().isCancelled());
            return "stopped";
        }

        public CompletableFuture<String> remote_later() {
            entered.countDown();
            return returned;
        }

        public String remote_latched() throws InterruptedException {
            entered.countDown();
            release.await(20, TimeUnit.SECONDS);
            return "late";
        }

        public int remote_one() {
            return 1;
        }
    }

    /** The client's side of {@link Work#remote_block}: answers "go" when the test says so. */
    public static class Go extends Referenceable {
        final CompletableFuture<String> go = new CompletableFuture<>();
        final CountDownLatch asked = new CountDownLatch(1);

        public CompletableFuture<String> remote_go() {
            asked.countDown();
            return go;
        }
    }

    /** The middle of a chain: its call to the next server is cancelled with its own. */
    public static class Middle extends Root {
        volatile RemoteReference next;
        final CompletableFuture<CompletableFuture<String>> nested = new CompletableFuture<>();

        public String remote_hop() throws Exception {
            CompletableFuture<String> f = next.callRemote("spin");
            nested.complete(f);
            return f.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCallCancelledBeforeItStartsIsNotRun() throws Exception {
        Work work = new Work();
        // One call in flight at a time: the second waits (not started) behind the first.
        try (Loopback lo = new Loopback(work,
                b -> b.limits(Limits.builder().maxInFlightCalls(1).build()))) {
            RemoteReference root = get(lo.client().getRootObject());
            Go go = new Go();
            CompletableFuture<String> first = root.callRemote("block", go);
            go.asked.await(10, TimeUnit.SECONDS);
            CompletableFuture<Void> second = root.callRemote("count");
            assertThat(second.cancel(true)).isTrue();
            // The answer to "go" leaves after the CANCEL: the server reads the CANCEL first.
            go.go.complete("went");
            assertThat(get(first)).isEqualTo("went");
            assertThat(get(root.<Integer>callRemote("counted"))).isZero();
            assertThat(second).isCancelled();
        }
    }

    @Test
    void aRunningCallSeesIsCancelled() throws Exception {
        Work work = new Work();
        try (Loopback lo = new Loopback(work)) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<String> f = root.callRemote("spin");
            work.entered.await(10, TimeUnit.SECONDS);
            f.cancel(true);
            assertThat(work.sawCancelled.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(get(root.<Integer>callRemote("one"))).isEqualTo(1);
        }
    }

    @Test
    void aCompletableFutureTheMethodReturnedIsCancelled() throws Exception {
        Work work = new Work();
        try (Loopback lo = new Loopback(work)) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<String> f = root.callRemote("later");
            work.entered.await(10, TimeUnit.SECONDS);
            f.cancel(true);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(work.returned::isCancelled);
        }
    }

    @Test
    void nestedCallsAreCancelledInTurn() throws Exception {
        Work last = new Work();
        try (PbServer lastServer = PbServer.builder().root(last).bind("127.0.0.1", 0).build()
                .start();
                PbClient toLast = PbClient.connect("127.0.0.1", lastServer.port())) {
            Middle middle = new Middle();
            middle.next = get(toLast.getRootObject());
            try (Loopback lo = new Loopback(middle)) {
                RemoteReference root = get(lo.client().getRootObject());
                CompletableFuture<String> f = root.callRemote("hop");
                last.entered.await(10, TimeUnit.SECONDS); // the nested call is running
                f.cancel(true);
                assertThat(last.sawCancelled.get(10, TimeUnit.SECONDS)).isTrue();
                assertThat(middle.nested.get(10, TimeUnit.SECONDS)).isCancelled();
            }
        }
    }

    @Test
    void aLateAnswerToACancelledCallIsDroppedWithoutAViolation() throws Exception {
        Work work = new Work();
        try (Loopback lo = new Loopback(work)) {
            // One violation would close the connection.
            PbClient client = lo.client(b -> b.limits(Limits.builder().maxViolations(1).build()));
            RemoteReference root = get(client.getRootObject());
            CompletableFuture<String> f = root.callRemote("latched");
            work.entered.await(10, TimeUnit.SECONDS);
            f.cancel(true);
            work.release.countDown(); // it answers anyway
            // "one" runs after "latched" returned (that held the turn): its answer follows.
            assertThat(get(root.<Integer>callRemote("one"))).isEqualTo(1);
            assertThat(client.connection().isOpen()).isTrue();
            assertThat(f).isCancelled();
        }
    }

    @Test
    void aCallCancelledBeforeItStartsStillGivesBackTheReferencesItCarried() throws Exception {
        Work work = new Work();
        try (Loopback lo = new Loopback(work,
                b -> b.limits(Limits.builder().maxInFlightCalls(1).build()))) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            Go go = new Go();
            CompletableFuture<String> first = root.callRemote("block", go);
            go.asked.await(10, TimeUnit.SECONDS);
            CompletableFuture<Void> second = root.callRemote("countWith", new Go());
            second.cancel(true);
            go.go.complete("went");
            assertThat(get(first)).isEqualTo("went");
            assertThat(get(root.<Integer>callRemote("counted"))).isZero();
            root.release();
            lo.assertTablesDrain(); // the Go sent with the dropped call was given back too
        }
    }

    @Test
    void aLateAnswerCarryingAReferenceIsStillGivenBack() throws Exception {
        Work work = new Work();
        try (Loopback lo = new Loopback(work)) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            CompletableFuture<RemoteReference> f = root.callRemote("latchedRef");
            work.entered.await(10, TimeUnit.SECONDS);
            f.cancel(true);
            work.release.countDown();
            assertThat(get(root.<Integer>callRemote("one"))).isEqualTo(1); // after the answer
            root.release();
            lo.assertTablesDrain(); // the server's object in the dropped answer was given back
        }
    }
}
