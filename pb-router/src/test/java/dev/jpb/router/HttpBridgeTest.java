package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The HTTP bridge with real HTTP requests. */
@Timeout(60)
class HttpBridgeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Router router;
    private RouterEndpoint endpoint;
    private RouterClient jpb;

    private void start(String host, RouterEndpoint.Builder b) {
        endpoint = b.bind(host, 0).build().start();
        jpb = RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1").join();
    }

    private void start() {
        router = Router.builder().build();
        start("127.0.0.1", RouterEndpoint.builder(router).maxHttpBytes(4096));
    }

    @AfterEach
    void stop() {
        if (jpb != null) {
            jpb.close();
        }
        endpoint.close();
        router.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> r) throws Exception {
        return JSON.readValue(r.body(), Map.class);
    }

    @Test
    void publishReachesSubscribersWithArgsAndKwargs() throws Exception {
        start();
        BlockingQueue<Event> events = JpbRouterFixture.queue();
        jpb.subscribe("com.example.news", events::add).join();
        HttpResponse<String> r = post("/publish",
                "{\"topic\": \"com.example.news\", \"args\": [\"hi\", 2], \"kwargs\": {\"a\": 1}}");
        assertThat(r.statusCode()).isEqualTo(200);
        Event e = JpbRouterFixture.next(events);
        assertThat(e.args()).containsExactly("hi", 2);
        assertThat(e.kwargs()).containsEntry("a", 1);
        assertThat(((Number) json(r).get("id")).longValue()).isEqualTo(e.publicationId());
    }

    @Test
    void callAnswersTheCalleesResultAsJson() throws Exception {
        start();
        jpb.register("com.example.add", inv -> new CallResult(
                List.of((Integer) inv.arg(0) + (Integer) inv.arg(1)), Map.of("op", "add")))
                .join();
        HttpResponse<String> r = post("/call",
                "{\"procedure\": \"com.example.add\", \"args\": [2, 3]}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(json(r)).isEqualTo(Map.of("args", List.of(5), "kwargs", Map.of("op", "add")));
    }

    @Test
    void callErrorsAreWampErrorObjectsWithAStatus() throws Exception {
        start();
        jpb.register("com.example.fail", inv -> {
            throw new WampError("com.example.error.nope", List.of("because"), Map.of());
        }).join();
        jpb.register("com.example.hang", inv -> new CompletableFuture<>()).join();
        HttpResponse<String> missing = post("/call", "{\"procedure\": \"com.example.none\"}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing)).containsEntry("error", "wamp.error.no_such_procedure");
        HttpResponse<String> failed = post("/call", "{\"procedure\": \"com.example.fail\"}");
        assertThat(failed.statusCode()).isEqualTo(502);
        assertThat(json(failed)).containsEntry("error", "com.example.error.nope")
                .containsEntry("args", List.of("because"));
        HttpResponse<String> slow = post("/call",
                "{\"procedure\": \"com.example.hang\", \"options\": {\"timeout\": 200}}");
        assertThat(slow.statusCode()).isEqualTo(504);
        assertThat(json(slow)).containsEntry("error", "wamp.error.timeout");
        HttpResponse<String> badUri = post("/publish", "{\"topic\": \"not a topic\"}");
        assertThat(badUri.statusCode()).isEqualTo(400);
        assertThat(json(badUri)).containsEntry("error", "wamp.error.invalid_uri");
    }

    @Test
    void malformedBodiesAreRefusedWithAReason() throws Exception {
        start();
        for (String body : new String[] {"{\"topic\": ", "[1, 2]", "{\"topic\": \"t\", "
                + "\"args\": {\"x\": 1}}", "{\"topic\": \"t\", \"kwargs\": [1]}", ""}) {
            HttpResponse<String> r = post("/publish", body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(json(r)).containsEntry("error", "wamp.error.invalid_argument");
            assertThat(json(r).get("args").toString()).isNotEmpty();
        }
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + endpoint.port() + "/call")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(get.statusCode()).isEqualTo(405);
        HttpResponse<String> meta = post("/call", "{\"procedure\": \"wamp.session.list\"}");
        assertThat(meta.statusCode()).isEqualTo(403);
    }

    @Test
    void anOversizedRequestIs413AndTheBridgeLivesOn() throws Exception {
        start();
        HttpResponse<String> r = post("/publish",
                "{\"topic\": \"com.t\", \"args\": [\"" + "x".repeat(10_000) + "\"]}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(post("/publish", "{\"topic\": \"com.t\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBearerTokenIsRequiredWhenSet() throws Exception {
        router = Router.builder().build();
        start("127.0.0.1", RouterEndpoint.builder(router).bearerToken("s3cret"));
        assertThat(post("/publish", "{\"topic\": \"com.t\"}").statusCode()).isEqualTo(401);
        assertThat(post("/publish", "{\"topic\": \"com.t\"}", "Authorization", "Bearer nope")
                .statusCode()).isEqualTo(401);
        assertThat(post("/publish", "{\"topic\": \"com.t\"}", "Authorization", "Bearer s3cret")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void beyondLoopbackTheBridgeNeedsAToken() throws Exception {
        router = Router.builder().build();
        start("0.0.0.0", RouterEndpoint.builder(router));
        HttpResponse<String> r = post("/publish", "{\"topic\": \"com.t\"}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("bearerToken");
    }

    @Test
    void staticFilesAreServedAndPathsCannotEscape() throws Exception {
        router = Router.builder().build();
        start("127.0.0.1", RouterEndpoint.builder(router).staticResources("wamp"));
        Raw js = get("/jpb/wamp.js");
        assertThat(js.status()).isEqualTo(200);
        assertThat(js.head().toLowerCase()).contains("content-type: text/javascript");
        assertThat(js.body()).contains("wamp.2.json");
        assertThat(get("/common.js").body()).contains("autobahn");
        assertThat(get("/../wamp/common.js").status()).isEqualTo(404);
        assertThat(get("/nothing.html").status()).isEqualTo(404);
    }

    private record Raw(int status, String head, String body) {
    }

    /** A raw GET: java.net.URI would normalise the dots away. */
    private Raw get(String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", endpoint.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            return new Raw(Integer.parseInt(all.substring(9, 12)), all.substring(0, split),
                    all.substring(split + 4));
        }
    }
}
