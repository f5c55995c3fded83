package dev.jpb.examples.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.router.Event;
import dev.jpb.router.RouterClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router example: agents' figures on clientstats, the dashboard page, config by HTTP. */
@Timeout(60)
class RouterServerTest {
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();
    private RouterServer server;
    private StatsAgent agent;
    private RouterClient watcher;

    @BeforeEach
    void start() {
        server = RouterServer.start("--port", "0");
        agent = StatsAgent.start("127.0.0.1", server.pbPort(), "test-agent");
        watcher = RouterClient.connect("127.0.0.1", server.pbPort(), "realm1").join();
    }

    @AfterEach
    void stop() {
        watcher.close();
        agent.close();
        server.close();
    }

    private Map<?, ?> nextStats(BlockingQueue<Event> q) throws InterruptedException {
        Event e = q.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("a clientstats event within 10 s").isNotNull();
        return (Map<?, ?>) e.arg(0);
    }

    @Test
    void agentsPublishTheirFiguresAndAConfigPostedToTheBridgeReachesTheRightAgent()
            throws Exception {
        BlockingQueue<Event> stats = new LinkedBlockingQueue<>();
        watcher.subscribe("clientstats", stats::add).join();
        Map<?, ?> s = nextStats(stats);
        assertThat(s.get("ip")).isEqualTo(agent.ip()).isEqualTo("127.0.0.1");
        assertThat(s.get("name")).isEqualTo("test-agent");
        assertThat(((Number) s.get("cpu")).doubleValue()).isBetween(0.0, 100.0);
        assertThat(((Number) s.get("memory")).doubleValue()).isBetween(0.0, 100.0);
        assertThat(((Number) s.get("disk")).doubleValue()).isBetween(0.0, 100.0);

        // a config for another address changes nothing; ours changes the interval
        assertThat(post("{\"topic\": \"clientconfig.10.9.8.7\", \"args\": [{\"interval\": 7}]}")
                .statusCode()).isEqualTo(200);
        assertThat(post("{\"topic\": \"clientconfig." + agent.ip()
                + "\", \"args\": [{\"interval\": 0.3}]}").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> agent.interval().equals(Duration.ofMillis(300)));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                Double.valueOf(0.3).equals(nextStats(stats).get("interval")));
    }

    @Test
    void theDashboardPageIsServedOnTheSamePort() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Monitoring dashboard", "/jpb/wamp.js", "dashboard.js");
        assertThat(get("/dashboard.js").body()).contains("clientstats", "/publish");
        assertThat(get("/jpb/wamp.js").body()).contains("wamp.2.json");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/publish"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
