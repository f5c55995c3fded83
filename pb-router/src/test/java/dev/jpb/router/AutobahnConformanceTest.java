package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WAMP conformance against a real client: Autobahn|JS scripts (src/test/resources/wamp) run
 * by Node against the router's WebSocket face, with a jpb client on the same realm.
 */
@Timeout(120)
class AutobahnConformanceTest {
    private Router router;
    private RouterEndpoint endpoint;
    private RouterClient jpb;
    private final BlockingQueue<Event> fromJs = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
    private final Map<String, CancelMode> interrupts = new ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        router = Router.builder().build();
        endpoint = RouterEndpoint.builder(router).bind("127.0.0.1", 0).build().start();
        jpb = RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1").join();
    }

    @AfterEach
    void stop() {
        jpb.close();
        endpoint.close();
        router.close();
    }

    private String port() {
        return String.valueOf(endpoint.port());
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void pubSubWithEveryMatchPolicy(String serializer) throws Exception {
        jpb.subscribe("js.to.jpb", fromJs::add).join();
        jpb.register("jpb.publish", inv -> jpb.publish((String) inv.arg(0), inv.arg(1))
                .thenApply(id -> "published")).join();
        NodeScripts.run("pubsub.js", port(), serializer);
        Event e = JpbRouterFixture.next(fromJs);
        assertThat(e.args()).containsExactly("hello from js");
        assertThat(e.kwargs()).containsEntry("n", 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "msgpack"})
    void routedCallsWithEveryInvokePolicy(String serializer) throws Exception {
        jpb.register("jpb.add", inv -> ((Number) inv.arg(0)).intValue()
                + ((Number) inv.arg(1)).intValue()).join();
        jpb.register("jpb.call_js", inv -> jpb.call((String) inv.arg(0), inv.arg(1))
                .thenApply(CallResult::single)).join();
        NodeScripts.run("rpc.js", port(), serializer);
    }

    @Test
    void cancelInEveryModeAndTimeoutInterruptJpbCallees() throws Exception {
        jpb.register("jpb.forever", inv -> {
            String tag = (String) inv.arg(0);
            inv.interrupted().thenAccept(mode -> interrupts.put(tag, mode));
            started.computeIfAbsent(tag, t -> new CompletableFuture<>()).complete(null);
            return new CompletableFuture<>();
        }).join();
        jpb.register("jpb.started", inv -> started.computeIfAbsent((String) inv.arg(0),
                t -> new CompletableFuture<>())).join();
        NodeScripts.run("cancel.js", port());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(interrupts)
                .containsEntry("kill", CancelMode.KILL)
                .containsEntry("killnowait", CancelMode.KILLNOWAIT)
                .containsEntry("timeout", CancelMode.KILLNOWAIT));
        assertThat(interrupts).doesNotContainKey("skip");
    }

    @Test
    void metaEventsAndMetaProcedures() throws Exception {
        NodeScripts.run("meta.js", port(), "json", String.valueOf(jpb.sessionId()));
    }

    @Test
    void theBrowserClientInteroperatesWithAutobahn() throws Exception {
        String wampJs = java.nio.file.Path.of(getClass().getResource(
                "/dev/jpb/router/web/wamp.js").toURI()).toString();
        NodeScripts.run("browser-client.js", port(), "json", wampJs);
    }

    @Test
    void wrongRealmIsAborted() throws Exception {
        NodeScripts.run("abort.js", port());
        assertThat(router.sessionIds("realm1")).containsExactly(jpb.sessionId());
    }
}
