package dev.jpb.router;

import static dev.jpb.router.ClusterTest.awaitCallees;
import static dev.jpb.router.ClusterTest.callees;
import static dev.jpb.router.JpbRouterFixture.next;
import static dev.jpb.router.JpbRouterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node killed with SIGKILL, and a NATS server killed and restarted under a cluster. */
@Timeout(120)
class ClusterFailureTest {

    private static String clusterName() {
        return "f" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }

    @Test
    void aKilledNodesRegistrationsVanishAndItsPendingCallsFailTyped() throws Exception {
        String name = clusterName();
        try (NatsServerProcess nats = NatsServerProcess.start();
                Router router = ClusterTest.node(nats.url(), name);
                RouterEndpoint ep = RouterEndpoint.builder(router).bind("127.0.0.1", 0).build()
                        .start();
                RouterClient a = RouterClient.connect("127.0.0.1", ep.pbPort(), "realm1")
                        .orTimeout(10, TimeUnit.SECONDS).join()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-Xmx128m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    ClusterNodeMain.class.getName(), nats.url(), name)
                    .redirectErrorStream(true).start();
            BlockingQueue<String> lines = queue();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (java.io.IOException closed) {
                    // the child was killed
                }
            }, "child-node-output");
            reader.setDaemon(true);
            reader.start();
            try {
                long childSession = Long.parseLong(awaitLine(lines, "READY ").substring(6));
                awaitCallees("fail.hang", 1, a);
                awaitCallees("fail.echo", 1, a);
                assertThat(a.call("fail.echo", "across").get(10, TimeUnit.SECONDS).single())
                        .isEqualTo("across");
                CompletableFuture<CallResult> pending = a.call("fail.hang");
                awaitLine(lines, "INVOKED");

                long killedAt = System.nanoTime();
                child.destroyForcibly();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Throwable failure = null;
                try {
                    pending.get(20, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                assertThat(failure).isInstanceOfSatisfying(WampError.class,
                        e -> assertThat(e.uri()).isEqualTo("wamp.error.canceled"));
                assertThat(tookMs).as("failed within the node timeout (3 s) and a heartbeat")
                        .isLessThan(10_000);
                assertThat(callees(a, "fail.hang")).isZero();
                assertThat(callees(a, "fail.echo")).isZero();
                assertThat(router.sessionIds("realm1")).doesNotContain(childSession);
                assertThat(router.clusterNodes()).hasSize(1);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static String awaitLine(BlockingQueue<String> lines, String prefix)
            throws InterruptedException {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.startsWith(prefix)) {
                return l;
            }
            if (l != null) {
                seen.add(l);
            }
        }
        throw new AssertionError("the child node never printed " + prefix + "; it printed "
                + seen);
    }

    @Test
    void aRestartedNatsIsSurvivedAndNodesReannounce() throws Exception {
        String name = clusterName();
        try (NatsServerProcess nats = NatsServerProcess.start();
                Router ra = ClusterTest.node(nats.url(), name);
                Router rb = ClusterTest.node(nats.url(), name);
                RouterEndpoint ea = RouterEndpoint.builder(ra).bind("127.0.0.1", 0).build()
                        .start();
                RouterEndpoint eb = RouterEndpoint.builder(rb).bind("127.0.0.1", 0).build()
                        .start();
                RouterClient a = RouterClient.connect("127.0.0.1", ea.pbPort(), "realm1")
                        .orTimeout(10, TimeUnit.SECONDS).join();
                RouterClient b = RouterClient.connect("127.0.0.1", eb.pbPort(), "realm1")
                        .orTimeout(10, TimeUnit.SECONDS).join()) {
            BlockingQueue<Event> onB = queue();
            b.subscribe("re.t", onB::add).join();
            b.register("re.echo", inv -> "b:" + inv.arg(0)).join();
            awaitCallees("re.echo", 1, a);
            assertThat(a.call("re.echo", 1).get(10, TimeUnit.SECONDS).single()).isEqualTo("b:1");

            nats.restart();

            // the nodes reconnect and re-announce: calls cross again. A call sent before the
            // other node resubscribed fails at once (no responders), typed, and is retried
            List<Object> failures = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(ra.clusterNodes()).hasSize(2);
                assertThat(callees(a, "re.echo")).isEqualTo(1);
                try {
                    assertThat(a.call("re.echo", 2).get(10, TimeUnit.SECONDS).single())
                            .isEqualTo("b:2");
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                    throw new AssertionError("the call failed; trying again", e);
                }
            });
            assertThat(failures).allSatisfy(f -> assertThat(f).isInstanceOfSatisfying(
                    WampError.class, e -> assertThat(e.uri()).isEqualTo("wamp.error.canceled")));
            onB.clear();
            for (int i = 0; i < 20; i++) {
                a.publish("re.t", i).get(10, TimeUnit.SECONDS);
            }
            a.publish("re.t", "end").get(10, TimeUnit.SECONDS);
            List<Object> got = new ArrayList<>();
            while (!got.contains("end")) {
                got.add(next(onB).arg(0));
            }
            // events published while NATS was down may arrive first (jnats buffers them);
            // after the restart each event arrives once
            List<Object> tail = got.subList(got.size() - 21, got.size());
            List<Object> want = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                want.add(i);
            }
            want.add("end");
            assertThat(tail).isEqualTo(want);
            assertThat(got).hasSize(21);
        }
    }
}
