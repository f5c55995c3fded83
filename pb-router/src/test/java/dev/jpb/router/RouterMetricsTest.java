package dev.jpb.router;

import static dev.jpb.router.JpbRouterFixture.next;
import static dev.jpb.router.JpbRouterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router's meters, read from a {@link SimpleMeterRegistry} after known traffic. */
@Timeout(60)
class RouterMetricsTest {
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        return meters.get(name).tags(tags).gauge().value();
    }

    private double count(String name, String... tags) {
        return meters.get(name).tags(tags).counter().count();
    }

    private long calls(String outcome) {
        return (long) count("jpb.router.calls", "outcome", outcome);
    }

    @Test
    void sessionsEventsAndCallsAreCountedWithBoundedTags() throws Exception {
        try (Router router = Router.builder().meterRegistry(meters).maxQueuedEvents(4).build()) {
            run(router);
        }
    }

    private void run(Router router) throws Exception {
        try (RouterEndpoint endpoint = RouterEndpoint.builder(router).bind("127.0.0.1", 0)
                .build().start();
                RouterClient a = RouterClient.connect("127.0.0.1", endpoint.pbPort(),
                        "realm1").orTimeout(10, TimeUnit.SECONDS).join();
                RouterClient b = RouterClient.connect("127.0.0.1", endpoint.pbPort(),
                        "realm1").orTimeout(10, TimeUnit.SECONDS).join();
                RawWebSocket wamp = RawWebSocket.json(endpoint.port())) {
            assertThat(wamp.hello()).startsWith("[2,");
            assertThat(gauge("jpb.router.sessions", "transport", "jpb")).isEqualTo(2);
            assertThat(gauge("jpb.router.sessions", "transport", "wamp")).isEqualTo(1);
            assertThat(count("jpb.router.sessions.joined", "transport", "wamp")).isEqualTo(1);

            BlockingQueue<Event> events = queue();
            Subscription s = b.subscribe("com.metrics.t", events::add).join();
            assertThat(gauge("jpb.router.subscriptions")).isEqualTo(1);
            for (int i = 0; i < 3; i++) {
                a.publish("com.metrics.t", i).join();
                next(events);
            }
            assertThat(count("jpb.router.events.published", "origin", "local")).isEqualTo(3);
            assertThat(count("jpb.router.events.delivered")).isEqualTo(3);
            assertThat(count("jpb.router.events.dropped")).isZero();

            b.register("com.metrics.add", inv -> (Integer) inv.arg(0) + 1).join();
            b.register("com.metrics.fail", inv -> {
                throw WampError.of("com.example.nope", "no");
            }).join();
            b.register("com.metrics.slow", inv -> new CompletableFuture<>()).join();
            assertThat(gauge("jpb.router.registrations")).isEqualTo(3);
            assertThat(a.call("com.metrics.add", 1).join().single()).isEqualTo(2);
            assertThat(a.call("com.metrics.add", 2).join().single()).isEqualTo(3);
            assertThatThrownBy(() -> a.call("com.metrics.fail").join());
            assertThatThrownBy(() -> a.call("com.metrics.none").join());
            assertThatThrownBy(() -> a.call("com.metrics.slow", List.of(), Map.of(),
                    CallOptions.defaults().timeout(Duration.ofMillis(50))).join());
            a.call("wamp.session.count").join(); // a meta procedure is not a routed call
            assertThat(calls("success")).isEqualTo(2);
            assertThat(calls("error")).isEqualTo(1);
            assertThat(calls("no_such_procedure")).isEqualTo(1);
            assertThat(calls("timeout")).isEqualTo(1);
            assertThat(meters.get("jpb.router.calls.duration").tags("outcome", "success")
                    .timer().count()).isEqualTo(2);

            // a subscriber that does not answer its events: past 4 queued, events drop. (With a
            // bound of 2, the loop above could drop its third event: the router may not yet
            // have taken the answers of the first two when the third is published.)
            CountDownLatch stuck = new CountDownLatch(1);
            Subscription blocked = b.subscribe("com.metrics.stuck", e -> {
                try {
                    stuck.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }).join();
            for (int i = 0; i < 10; i++) {
                a.publish("com.metrics.stuck", i).join();
            }
            double dropped = count("jpb.router.events.dropped");
            assertThat(dropped).isPositive().isEqualTo(router.droppedEvents(b.sessionId()));
            assertThat(count("jpb.router.events.delivered")).isEqualTo(3 + 10 - dropped);
            stuck.countDown();
            blocked.unsubscribe().join();
            s.unsubscribe().join();
            assertThat(gauge("jpb.router.subscriptions")).isZero();

            // bounded tags: nothing names a topic, a procedure or a session
            for (Meter m : meters.getMeters()) {
                assertThat(m.getId().getTags()).allSatisfy(t -> assertThat(t.getValue())
                        .doesNotContain("com.metrics").doesNotContain("" + b.sessionId()));
            }
            assertThat(meters.get("jpb.connections.open").tags("side", "server").gauge()
                    .value()).as("the endpoint's jpb server records in the same registry")
                    .isEqualTo(2);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(gauge("jpb.router.sessions", "transport", "jpb")).isZero());
        assertThat(count("jpb.router.sessions.left", "transport", "jpb")).isEqualTo(2);
    }
}
