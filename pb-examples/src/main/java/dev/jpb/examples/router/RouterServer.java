package dev.jpb.examples.router;

import dev.jpb.router.Router;
import dev.jpb.router.RouterEndpoint;

/**
 * A WAMP router with the monitoring dashboard: WAMP v2 over WebSocket at {@code /ws}
 * ({@code wamp.2.json}, {@code wamp.2.msgpack}), realm {@code realm1}, anonymous; the HTTP
 * bridge at {@code POST /publish} and {@code POST /call}; the dashboard page at {@code /};
 * jpb clients on the jpb port (the WAMP port + 1 unless {@code --pb-port} says otherwise).
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.router.RouterServer \
 *     -Dexec.args="--port 8080"
 * </pre>
 *
 * <p>Options: {@code --port N} (default 8080; 0 = any), {@code --pb-port N}, {@code --host H}
 * (default 127.0.0.1), {@code --token T} (bearer token of the HTTP bridge; needed beyond
 * loopback), {@code --nats nats://HOST:PORT} (join the cluster that shares that NATS server;
 * docs/cluster.md), {@code --cluster NAME} (the cluster's name, default {@code jpb}).
 */
public final class RouterServer implements AutoCloseable {
    private final Router router;
    private final RouterEndpoint endpoint;

    private RouterServer(Router router, RouterEndpoint endpoint) {
        this.router = router;
        this.endpoint = endpoint;
    }

    /**
     * Starts a router from command-line options.
     *
     * @param args the options
     * @return the running server
     * @throws IllegalArgumentException for an unknown option
     */
    public static RouterServer start(String... args) {
        String host = "127.0.0.1";
        int port = 8080;
        Integer pbPort = null;
        String token = null;
        String nats = null;
        String cluster = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(require(value, "--port"));
                case "--pb-port" -> pbPort = Integer.parseInt(require(value, "--pb-port"));
                case "--host" -> host = require(value, "--host");
                case "--token" -> token = require(value, "--token");
                case "--nats" -> nats = require(value, "--nats");
                case "--cluster" -> cluster = require(value, "--cluster");
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected --port, --pb-port, --host, --token, --nats, --cluster)");
            }
            i++;
        }
        Router.Builder rb = Router.builder().realm("realm1");
        if (nats != null) {
            rb.nats(nats);
        }
        if (cluster != null) {
            rb.clusterName(cluster);
        }
        Router router = rb.build();
        RouterEndpoint.Builder b = RouterEndpoint.builder(router).bind(host, port)
                .pbPort(pbPort != null ? pbPort : port == 0 ? 0 : port + 1)
                .staticResources("dev/jpb/examples/router/web");
        if (token != null) {
            b.bearerToken(token);
        }
        try {
            return new RouterServer(router, b.build().start());
        } catch (RuntimeException e) {
            router.close();
            throw e;
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    /** Returns the WAMP/HTTP port. */
    public int port() {
        return endpoint.port();
    }

    /** Returns the jpb port. */
    public int pbPort() {
        return endpoint.pbPort();
    }

    /** Returns the router. */
    public Router router() {
        return router;
    }

    /** Stops serving and closes the router. */
    @Override
    public void close() {
        endpoint.close();
        router.close();
    }

    /** Runs until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        RouterServer server = start(args);
        System.out.println("WAMP at ws://127.0.0.1:" + server.port() + "/ws (realm1),"
                + " dashboard at http://127.0.0.1:" + server.port() + "/,"
                + " jpb on port " + server.pbPort()
                + (server.router().clusterNodes().isEmpty() ? ""
                        : ", cluster node " + server.router().clusterNodes().iterator().next()));
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        Thread.currentThread().join();
    }
}
