package dev.jpb.examples.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard page in headless Chromium (Debian's {@code chromium}, which .ci/run installs),
 * driven over the DevTools protocol: it joins the router over WebSocket and shows an agent's
 * figures; a screenshot is saved to {@code target/dashboard.png}. A missing chromium fails the
 * test.
 */
@Timeout(120)
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path target = Path.of("target").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).build();
    private RouterServer server;
    private StatsAgent agent;
    private Process chromium;

    @BeforeEach
    void start() {
        server = RouterServer.start("--port", "0");
        agent = StatsAgent.start("127.0.0.1", server.pbPort(), "browser-test-agent");
    }

    @AfterEach
    void stop() throws Exception {
        if (chromium != null) {
            chromium.destroy();
            if (!chromium.waitFor(10, TimeUnit.SECONDS)) {
                chromium.destroyForcibly();
            }
        }
        agent.close();
        server.close();
    }

    /** Starts chromium on the page and returns its DevTools port. */
    private int startChromium() throws Exception {
        Files.createDirectories(target);
        chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1000,600",
                "--user-data-dir=" + target.resolve("chromium-profile"),
                "--remote-debugging-port=0", "--remote-allow-origins=*",
                "http://127.0.0.1:" + server.port() + "/")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(
                chromium.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        // a thread of its own (not the common pool, which the HTTP client may need) reads the
        // DevTools port, then keeps draining stderr so chromium never blocks on it
        Thread reader = new Thread(() -> {
            String marker = "DevTools listening on ws://127.0.0.1:";
            try {
                String line;
                while ((line = err.readLine()) != null) {
                    int i = line.indexOf(marker);
                    if (i >= 0) {
                        String rest = line.substring(i + marker.length());
                        port.complete(Integer.parseInt(rest.substring(0, rest.indexOf('/'))));
                    }
                }
            } catch (java.io.IOException | RuntimeException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException(
                    "chromium exited without a DevTools port"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return port.get(60, TimeUnit.SECONDS);
    }

    /** A DevTools session on the page. */
    private static final class Cdp implements WebSocket.Listener {
        private final Map<Integer, CompletableFuture<JsonNode>> pending =
                new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket ws;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode msg = JSON.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = msg.has("id")
                            ? pending.remove(msg.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(msg.get("result"));
                    }
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        JsonNode send(String method, Map<String, Object> params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> f = new CompletableFuture<>();
            pending.put(id, f);
            ws.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method,
                    "params", params)), true).get(10, TimeUnit.SECONDS);
            return f.get(30, TimeUnit.SECONDS);
        }

        String evaluate(String expression) throws Exception {
            return send("Runtime.evaluate", Map.of("expression", expression,
                    "returnByValue", true)).path("result").path("value").asText();
        }
    }

    private Cdp attach(int devtoolsPort) throws Exception {
        String pageWs = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pageWs == null && System.nanoTime() < deadline) {
            JsonNode list = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + devtoolsPort + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : list) {
                if ("page".equals(t.path("type").asText())) {
                    pageWs = t.path("webSocketDebuggerUrl").asText();
                }
            }
        }
        assertThat(pageWs).as("a page target").isNotNull();
        Cdp cdp = new Cdp();
        cdp.ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), cdp)
                .get(30, TimeUnit.SECONDS);
        return cdp;
    }

    @Test
    void thePageShowsTheAgentsFiguresLive() throws Exception {
        Cdp cdp = attach(startChromium());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cdp.evaluate("document.body.innerHTML").contains("<td>"
                        + agent.ip() + "</td>"));
        String body = cdp.evaluate("document.body.innerHTML");
        assertThat(cdp.evaluate("document.getElementById('status').textContent"))
                .startsWith("live (session ");
        assertThat(body).contains("browser-test-agent");
        assertThat(cdp.evaluate("document.querySelector('#agents td.cpu').textContent"))
                .matches("[0-9.]+%");
        assertThat(cdp.evaluate("document.getElementById('config-ip').value"))
                .isEqualTo(agent.ip());
        JsonNode shot = cdp.send("Page.captureScreenshot", Map.of("format", "png"));
        Path png = target.resolve("dashboard.png");
        Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        assertThat(Files.size(png)).isGreaterThan(1000);

        // the page's form posts a config change through the bridge to the agent
        cdp.evaluate("document.getElementById('config-interval').value = '0.5';"
                + "document.querySelector('#config button').click(); 'clicked'");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> agent.interval().equals(Duration.ofMillis(500)));
        cdp.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
}
