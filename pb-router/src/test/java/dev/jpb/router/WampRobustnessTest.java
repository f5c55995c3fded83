package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile and broken WAMP peers get ABORT or a close, never a crash; others are untouched. */
@Timeout(60)
class WampRobustnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private Router router;
    private RouterEndpoint endpoint;

    private void start(Router r, RouterEndpoint.Builder b) {
        router = r;
        endpoint = b.bind("127.0.0.1", 0).build().start();
    }

    private void start() {
        Router r = Router.builder().build();
        start(r, RouterEndpoint.builder(r).maxMessageBytes(4096));
    }

    @AfterEach
    void stop() {
        endpoint.close();
        router.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> parse(String text) throws Exception {
        return JSON.readValue(text, List.class);
    }

    /** A second, well-behaved session still works. */
    private void assertOthersServed() throws Exception {
        try (RawWebSocket ok = RawWebSocket.json(endpoint.port())) {
            assertThat(parse(ok.hello()).get(0)).isEqualTo(2);
            ok.sendText("[48,1,{},\"wamp.session.count\"]");
            assertThat(parse(ok.readText()).get(0)).isEqualTo(50);
        }
    }

    private void assertAborted(RawWebSocket ws, String uri) throws Exception {
        List<?> abort = parse(ws.readText());
        assertThat(abort.get(0)).as("ABORT").isEqualTo(3);
        assertThat(abort.get(2)).isEqualTo(uri);
        assertThat(ws.closedByPeer()).isTrue();
    }

    @Test
    void malformedJsonIsAbortedAsProtocolViolation() throws Exception {
        start();
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            ws.sendText("[1, \"realm1\", {");
            assertAborted(ws, "wamp.error.protocol_violation");
        }
        assertOthersServed();
    }

    @Test
    void unknownMessageTypeIsAborted() throws Exception {
        start();
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            assertThat(parse(ws.hello()).get(0)).isEqualTo(2);
            ws.sendText("[99, 1, {}]");
            assertAborted(ws, "wamp.error.protocol_violation");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> router.sessionIds("realm1").isEmpty());
        assertOthersServed();
    }

    @Test
    void wrongShapesAndMessagesBeforeHelloAreAborted() throws Exception {
        start();
        for (String bad : new String[] {"[32, 1, {}, \"t\"]", "{\"not\": \"an array\"}",
            "[\"HELLO\"]", "[1, 7, {}]"}) {
            try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
                ws.sendText(bad);
                assertAborted(ws, "wamp.error.protocol_violation");
            }
        }
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            assertThat(parse(ws.hello()).get(0)).isEqualTo(2);
            ws.sendText("[32, \"x\", {}, \"t\"]");
            assertAborted(ws, "wamp.error.protocol_violation");
        }
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            ws.sendText("[1, \"nowhere\", {}]");
            assertAborted(ws, "wamp.error.no_such_realm");
        }
        assertOthersServed();
    }

    @Test
    void badUrisGetErrorAndTheSessionLives() throws Exception {
        start();
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            ws.hello();
            ws.sendText("[32, 5, {}, \"bad topic\"]");
            List<Object> err = parse(ws.readText());
            assertThat(err).startsWith(8, 32, 5);
            assertThat(err.get(4)).isEqualTo("wamp.error.invalid_uri");
            ws.sendText("[64, 6, {}, \"wamp.mine\"]");
            assertThat(parse(ws.readText()).get(4)).isEqualTo("wamp.error.invalid_uri");
            ws.sendText("[48, 7, {}, \"com.nobody\"]");
            assertThat(parse(ws.readText())).startsWith(8, 48, 7);
            ws.sendText("[32, 8, {\"match\": \"fuzzy\"}, \"com.t\"]");
            assertThat(parse(ws.readText()).get(4)).isEqualTo("wamp.error.invalid_argument");
            ws.sendText("[32, 9, {}, \"com.t\"]");
            assertThat(parse(ws.readText()).get(0)).isEqualTo(33);
        }
    }

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        start();
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            ws.hello();
            ws.sendText("[16, 1, {}, \"com.t\", [\"" + "x".repeat(8000) + "\"]]");
            RawWebSocket.Frame f;
            do {
                f = ws.read();
            } while (f != null && f.opcode() != 0x8);
            assertThat(f).isNotNull();
            assertThat(f.closeCode()).isEqualTo(1009);
        }
        assertOthersServed();
    }

    @Test
    void aWebSocketWithoutAWampSubprotocolIsClosed() throws Exception {
        start();
        try (RawWebSocket ws = new RawWebSocket(endpoint.port(), null, 0)) {
            RawWebSocket.Frame f = ws.read();
            assertThat(f.opcode()).isEqualTo(0x8);
            assertThat(f.closeCode()).isEqualTo(1002);
        }
    }

    @Test
    void pastTheMessageRateTheRouterReadsMoreSlowlyAndLosesNothing() throws Exception {
        Router r = Router.builder().build();
        start(r, RouterEndpoint.builder(r).maxMessagesPerSecond(20));
        try (RawWebSocket ws = RawWebSocket.json(endpoint.port())) {
            long start = System.nanoTime(); // the rate's first window opens after this
            ws.hello();
            for (int i = 1; i <= 50; i++) {
                ws.sendText("[48," + i + ",{},\"wamp.session.count\"]");
            }
            for (int i = 1; i <= 50; i++) {
                List<?> result = parse(ws.readText());
                assertThat(result.get(0)).isEqualTo(50);
                assertThat(((Number) result.get(1)).intValue()).isEqualTo(i);
            }
            // HELLO + 50 calls at 20 a second: the last ones wait for the third window
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1990));
        }
    }

    private long sessionIdOf(String welcome) throws Exception {
        return ((Number) parse(welcome).get(1)).longValue();
    }

    @Test
    void aSubscriberThatNeverReadsHasItsEventsDroppedAndOthersGetEverything() throws Exception {
        // the jpb subscriber's own bound (unanswered events) is set out of the way: this test
        // is about the WebSocket subscriber's byte bound
        Router r = Router.builder().maxQueuedEvents(1_000_000).build();
        start(r, RouterEndpoint.builder(r).maxQueuedBytes(64 * 1024));
        RouterClient pub = RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1").join();
        RouterClient good = RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1").join();
        try (RawWebSocket stuck = new RawWebSocket(endpoint.port(), "wamp.2.json", 4096)) {
            long stuckId = sessionIdOf(stuck.hello());
            stuck.sendText("[32, 1, {}, \"t.flood\"]");
            assertThat(parse(stuck.readText()).get(0)).isEqualTo(33);
            // from here on the stuck client reads nothing
            AtomicInteger received = new AtomicInteger();
            good.subscribe("t.flood", e -> received.incrementAndGet()).join();
            String payload = "p".repeat(8 * 1024);
            int n = 2000; // 16 MB: more than the kernel buffers of both ends can hide
            for (int i = 0; i < n; i++) {
                pub.publish("t.flood", payload).join();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == n
                    || router.droppedEvents(good.sessionId()) > 0);
            assertThat(received).hasValue(n);
            assertThat(router.droppedEvents(stuckId)).isPositive();
            assertThat(router.sessionIds("realm1")).contains(stuckId); // DROP keeps it joined
            assertThat(router.droppedEvents(good.sessionId())).isZero();
        } finally {
            pub.close();
            good.close();
        }
    }

    @Test
    void disconnectPolicyClosesTheSlowSubscriber() throws Exception {
        Router r = Router.builder().slowSubscriberPolicy(SlowSubscriberPolicy.DISCONNECT).build();
        start(r, RouterEndpoint.builder(r).maxQueuedBytes(64 * 1024));
        RouterClient pub = RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1").join();
        try (RawWebSocket stuck = new RawWebSocket(endpoint.port(), "wamp.2.json", 4096)) {
            long stuckId = sessionIdOf(stuck.hello());
            stuck.sendText("[32, 1, {}, \"t.flood\"]");
            assertThat(parse(stuck.readText()).get(0)).isEqualTo(33);
            String payload = "p".repeat(8 * 1024);
            for (int i = 0; i < 2000 && router.sessionIds("realm1").contains(stuckId); i++) {
                pub.publish("t.flood", payload).join();
            }
            assertThat(router.sessionIds("realm1")).doesNotContain(stuckId);
            assertThat(stuck.closedByPeer()).isTrue();
        } finally {
            pub.close();
        }
    }

    @Test
    void progressiveResultsReachACallerThatAsksForThem() throws Exception {
        start();
        try (RawWebSocket callee = RawWebSocket.json(endpoint.port());
                RawWebSocket caller = RawWebSocket.json(endpoint.port())) {
            callee.hello();
            caller.hello();
            callee.sendText("[64, 1, {}, \"com.progress\"]");
            assertThat(parse(callee.readText()).get(0)).isEqualTo(65);
            caller.sendText("[48, 7, {\"receive_progress\": true}, \"com.progress\"]");
            List<Object> inv = parse(callee.readText());
            assertThat(inv.get(0)).isEqualTo(68);
            assertThat(inv.get(3)).isEqualTo(java.util.Map.of("receive_progress", true));
            Object request = inv.get(1);
            callee.sendText("[70, " + request + ", {\"progress\": true}, [1]]");
            callee.sendText("[70, " + request + ", {}, [2]]");
            List<Object> first = parse(caller.readText());
            assertThat(first).containsExactly(50, 7, java.util.Map.of("progress", true),
                    List.of(1));
            assertThat(parse(caller.readText())).containsExactly(50, 7, java.util.Map.of(),
                    List.of(2));
        }
    }
}
