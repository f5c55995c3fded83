package dev.jpb.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.testing.PbServerExtension;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The meters of a server and a client, read from {@link SimpleMeterRegistry}s after traffic. */
@Timeout(60)
class MicrometerMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
    private final SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
    private final Calculator calculator = new Calculator();
    @RegisterExtension
    final PbServerExtension server = PbServerExtension.builder()
            .server(b -> b.root(calculator).meterRegistry(serverMeters))
            .clients(b -> b.meterRegistry(clientMeters))
            .build();

    /** The service: adds, fails, hands out an object, blocks until told. */
    public static final class Calculator extends Root {
        volatile CountDownLatch release = new CountDownLatch(0);

        public int remote_add(int a, int b) {
            return a + b;
        }

        public int remote_fail() {
            throw new IllegalStateException("always fails");
        }

        public Referenceable remote_make() {
            return new Made();
        }

        public boolean remote_block() throws InterruptedException {
            return release.await(10, TimeUnit.SECONDS);
        }
    }

    /** What {@code make} hands out, by reference. */
    public static final class Made extends Referenceable {
        public String remote_name() {
            return "made";
        }
    }

    @BeforeEach
    void noMetersBeforeTraffic() {
        assertThat(serverMeters.find("jpb.calls.started").meters()).isEmpty();
    }

    @Test
    void callsAreCountedAndTimedByMethodName() throws Exception {
        RemoteReference root = server.newRoot();
        for (int i = 0; i < 5; i++) {
            assertThat(root.<Integer>callRemote("add", i, 1).get(10, TimeUnit.SECONDS))
                    .isEqualTo(i + 1);
        }
        for (int i = 0; i < 2; i++) {
            CompletableFuture<Integer> f = root.callRemote("fail");
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        // The server's view: calls that came in.
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count(serverMeters, "jpb.calls.completed", "in", "add")).isEqualTo(5);
            assertThat(count(serverMeters, "jpb.calls.failed", "in", "fail")).isEqualTo(2);
        });
        assertThat(count(serverMeters, "jpb.calls.started", "in", "add")).isEqualTo(5);
        assertThat(count(serverMeters, "jpb.calls.started", "in", "fail")).isEqualTo(2);
        assertThat(count(serverMeters, "jpb.calls.failed", "in", "add")).isZero();
        FunctionTimer added = timer(serverMeters, "in", "add", "success");
        assertThat(added.count()).isEqualTo(5);
        assertThat(added.totalTime(TimeUnit.NANOSECONDS)).isPositive();
        // The histogram: cumulative bucket gauges, fine enough for calls well under a
        // millisecond (Micrometer's default percentile histogram starts at 1 ms).
        List<String> bounds = serverMeters.find("jpb.calls.duration.histogram")
                .tag("direction", "in").tag("method", "add").tag("outcome", "success")
                .gauges().stream().map(g -> g.getId().getTag("le")).toList();
        assertThat(bounds).hasSize(Latencies.BOUNDS.length + 1)
                .contains("0.00001", "0.000025", "0.001", "1", "50", "+Inf");
        assertThat(bucket(serverMeters, "in", "add", "success", "+Inf")).isEqualTo(5);
        assertThat(bucket(serverMeters, "in", "add", "success", "50")).isEqualTo(5);
        assertThat(bucket(serverMeters, "in", "fail", "failure", "+Inf")).isEqualTo(2);
        assertThat(timer(serverMeters, "in", "fail", "failure").count()).isEqualTo(2);

        // The client's view: calls that went out, timed to their answer.
        assertThat(count(clientMeters, "jpb.calls.started", "out", "add")).isEqualTo(5);
        assertThat(count(clientMeters, "jpb.calls.completed", "out", "add")).isEqualTo(5);
        assertThat(count(clientMeters, "jpb.calls.failed", "out", "fail")).isEqualTo(2);
        assertThat(timer(clientMeters, "out", "add", "success").count()).isEqualTo(5);
        assertThat(gauge(serverMeters, "jpb.calls.inflight", "in")).isZero();
        assertThat(gauge(clientMeters, "jpb.calls.inflight", "out")).isZero();

        // No tag holds an argument.
        for (Meter m : serverMeters.getMeters()) {
            assertThat(m.getId().getTags()).noneMatch(t -> t.getValue().contains("always"));
        }
    }

    @Test
    void pipelinedCallsFromSeveralThreadsAreCountedExactlyWhenTheirFuturesComplete()
            throws Exception {
        RemoteReference root = server.newRoot();
        int threads = 4;
        int perThread = 300;
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread caller = new Thread(() -> {
                List<CompletableFuture<Integer>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(root.callRemote("add", i, 1));
                }
                synchronized (calls) {
                    calls.addAll(mine);
                }
            });
            callers.add(caller);
            caller.start();
        }
        for (Thread caller : callers) {
            caller.join(10_000);
        }
        synchronized (calls) {
            assertThat(calls).hasSize(threads * perThread);
        }
        for (CompletableFuture<Integer> f : calls) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        }
        int n = threads * perThread;

        // Exact once the futures are done: a call's metrics end before its future completes,
        // and on the server before its answer is written.
        assertThat(count(clientMeters, "jpb.calls.started", "out", "add")).isEqualTo(n);
        assertThat(count(clientMeters, "jpb.calls.completed", "out", "add")).isEqualTo(n);
        assertThat(count(clientMeters, "jpb.calls.failed", "out", "add")).isZero();
        assertThat(timer(clientMeters, "out", "add", "success").count()).isEqualTo(n);
        assertThat(gauge(clientMeters, "jpb.calls.inflight", "out")).isZero();
        assertThat(count(serverMeters, "jpb.calls.started", "in", "add")).isEqualTo(n);
        assertThat(count(serverMeters, "jpb.calls.completed", "in", "add")).isEqualTo(n);
        assertThat(count(serverMeters, "jpb.calls.failed", "in", "add")).isZero();
        assertThat(timer(serverMeters, "in", "add", "success").count()).isEqualTo(n);
        assertThat(gauge(serverMeters, "jpb.calls.inflight", "in")).isZero();
    }

    @Test
    void callsAreTimedWithinWhatTheCallerSawThoughAReadsCallsShareOneClockRead()
            throws Exception {
        // The calls (on the server) and the answers (on the client) of one socket read share
        // one clock read. Each call's time still lies within what its caller saw: calls spaced
        // apart (a read time kept too long would add the pause) and a pipelined batch (many
        // calls per read; a call timed from before it started would be negative, and dropped
        // from the timer's count).
        RemoteReference root = server.newRoot();
        long seen = 0;
        for (int i = 0; i < 3; i++) {
            Thread.sleep(200);
            long start = System.nanoTime();
            assertThat(root.<Integer>callRemote("add", i, 1).get(10, TimeUnit.SECONDS))
                    .isEqualTo(i + 1);
            seen += System.nanoTime() - start;
        }
        for (FunctionTimer t : List.of(timer(serverMeters, "in", "add", "success"),
                timer(clientMeters, "out", "add", "success"))) {
            assertThat(t.count()).isEqualTo(3);
            assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive()
                    .isLessThanOrEqualTo(seen);
        }

        int n = 500;
        long start = System.nanoTime();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(root.callRemote("add", i, 1));
        }
        for (CompletableFuture<Integer> f : calls) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isPositive();
        }
        long batch = System.nanoTime() - start;
        for (FunctionTimer t : List.of(timer(serverMeters, "in", "add", "success"),
                timer(clientMeters, "out", "add", "success"))) {
            assertThat(t.count()).isEqualTo(3 + n);
            assertThat(t.totalTime(TimeUnit.NANOSECONDS)).isPositive()
                    .isLessThanOrEqualTo(seen + (double) n * batch);
        }
        // None took longer than the batch, nor than what the caller saw of the spaced calls:
        // all are in the first bucket bounded above that.
        long longest = Math.max(seen, batch);
        int first = 0;
        while (first < Latencies.BOUNDS.length && Latencies.BOUNDS[first] < longest) {
            first++;
        }
        for (MeterRegistry r : List.of(serverMeters, clientMeters)) {
            String direction = r == serverMeters ? "in" : "out";
            assertThat(bucket(r, direction, "add", "success", Latencies.le(first)))
                    .isEqualTo(3 + n);
        }
    }

    @Test
    void callsInFlightAreGauged() throws Exception {
        RemoteReference root = server.newRoot();
        calculator.release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocked = root.callRemote("block");

        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.calls.inflight", "in") == 1);
        assertThat(gauge(clientMeters, "jpb.calls.inflight", "out")).isEqualTo(1);
        calculator.release.countDown();
        assertThat(blocked.get(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.calls.inflight", "in") == 0);
        assertThat(gauge(clientMeters, "jpb.calls.inflight", "out")).isZero();
    }

    @Test
    void aCancelledCallAndOneWayCallsEndTheirCount() throws Exception {
        RemoteReference root = server.newRoot();
        calculator.release = new CountDownLatch(1);
        CompletableFuture<Boolean> blocked = root.callRemote("block");
        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.calls.inflight", "in") == 1);

        assertThat(blocked.cancel(true)).isTrue();
        // The caller's count ends with the cancel: a failure, timed, no longer in flight.
        assertThat(gauge(clientMeters, "jpb.calls.inflight", "out")).isZero();
        assertThat(count(clientMeters, "jpb.calls.failed", "out", "block")).isEqualTo(1);
        assertThat(timer(clientMeters, "out", "block", "failure").count()).isEqualTo(1);
        calculator.release.countDown();

        root.callRemoteOnly("add", 1, 2);
        root.callRemoteOnly("add", 3, 4);
        assertThat(count(clientMeters, "jpb.calls.completed", "out", "add")).isEqualTo(2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(count(serverMeters, "jpb.calls.completed", "in", "add")).isEqualTo(2);
            assertThat(gauge(serverMeters, "jpb.calls.inflight", "in")).isZero();
        });
        // One-way calls are counted, not timed: they have no answer to time to.
        assertThat(serverMeters.find("jpb.calls.duration").tag("method", "add").functionTimers())
                .allSatisfy(t -> assertThat(t.count()).isZero());
    }

    @Test
    void connectionsReferencesAndBytesAreMeasured() throws Exception {
        PbClient client = server.newClient();
        RemoteReference root = server.rootOf(client);
        assertThat(gauge(serverMeters, "jpb.connections.open", null)).isEqualTo(1);
        assertThat(serverMeters.get("jpb.connections.opened").counter().count()).isEqualTo(1);
        assertThat(gauge(clientMeters, "jpb.connections.open", null)).isEqualTo(1);

        RemoteReference made = root.<RemoteReference>callRemote("make")
                .get(10, TimeUnit.SECONDS);
        assertThat(made.<String>callRemote("name").get(10, TimeUnit.SECONDS)).isEqualTo("made");
        // the root and the made object on the server; their references on the client
        assertThat(gauge(serverMeters, "jpb.references.exported", null)).isEqualTo(2);
        assertThat(gauge(clientMeters, "jpb.references.imported", null)).isEqualTo(2);

        made.release();
        await().atMost(WAIT).until(
                () -> gauge(serverMeters, "jpb.references.exported", null) == 1);
        assertThat(gauge(clientMeters, "jpb.references.imported", null)).isEqualTo(1);

        for (MeterRegistry r : List.of(serverMeters, clientMeters)) {
            assertThat(r.get("jpb.bytes.received").counter().count()).isGreaterThan(16);
            assertThat(r.get("jpb.bytes.sent").counter().count()).isGreaterThan(16);
            assertThat(gauge(r, "jpb.outbound.queued.bytes", null)).isZero();
        }

        client.close();
        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.connections.open", null) == 0);
        assertThat(serverMeters.get("jpb.connections.closed").counter().count()).isEqualTo(1);
        assertThat(gauge(serverMeters, "jpb.references.exported", null)).isZero();
        assertThat(gauge(clientMeters, "jpb.connections.open", null)).isZero();
    }

    @Test
    void aViolationIsCountedByKind() throws Exception {
        try (RawPeer peer = new RawPeer(server.server().localAddress())) {
            peer.answerUnknownRequest(12345);
            await().atMost(WAIT).until(() -> serverMeters.find("jpb.violations")
                    .tag("kind", "unknown-request").counter() != null
                    && serverMeters.get("jpb.violations").tag("kind", "unknown-request")
                            .counter().count() == 1);
        }
    }

    @Test
    void methodNamesAreCappedAndUnknownNamesNeverBecomeTags() throws Exception {
        RemoteReference root = server.newRoot();
        int names = MethodNames.MAX + 5;
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < names; i++) {
            calls.add(root.callRemote("m" + i));
        }
        for (CompletableFuture<Object> f : calls) {
            assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }

        // The server has no such methods: one tag for all of them.
        await().atMost(WAIT).until(() -> count(serverMeters, "jpb.calls.failed", "in",
                MethodNames.UNKNOWN) == names);
        assertThat(serverMeters.find("jpb.calls.started").tag("direction", "in")
                .functionCounters()).hasSize(1);
        // The client made them: the first MAX names are tags, the rest are "other".
        assertThat(clientMeters.find("jpb.calls.started").tag("direction", "out")
                .functionCounters()).hasSize(MethodNames.MAX + 1);
        assertThat(count(clientMeters, "jpb.calls.started", "out", MethodNames.OTHER))
                .isEqualTo(5);
        assertThat(count(clientMeters, "jpb.calls.failed", "out", "m0")).isEqualTo(1);
    }

    /** A call count: a function counter (it reads jpb's own count), 0 if not registered. */
    private static double count(MeterRegistry r, String name, String direction, String method) {
        var c = r.find(name).tag("direction", direction).tag("method", method)
                .functionCounter();
        return c == null ? 0 : c.count();
    }

    private static FunctionTimer timer(MeterRegistry r, String direction, String method,
            String outcome) {
        return r.get("jpb.calls.duration").tag("direction", direction).tag("method", method)
                .tag("outcome", outcome).functionTimer();
    }

    /** The calls of a histogram bucket: those that took at most {@code le} seconds. */
    private static double bucket(MeterRegistry r, String direction, String method,
            String outcome, String le) {
        return r.get("jpb.calls.duration.histogram").tag("direction", direction)
                .tag("method", method).tag("outcome", outcome).tag("le", le).gauge().value();
    }

    private static double gauge(MeterRegistry r, String name, String direction) {
        var search = r.get(name);
        if (direction != null) {
            search = search.tag("direction", direction);
        }
        return search.gauge().value();
    }
}
