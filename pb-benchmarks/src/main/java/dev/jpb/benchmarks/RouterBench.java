package dev.jpb.benchmarks;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.router.Router;
import dev.jpb.router.RouterClient;
import dev.jpb.router.RouterEndpoint;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What the router benchmarks share ({@link RouterVsNats}, {@link RouterCluster}): a
 * nats-server process, router nodes with their endpoints on 127.0.0.1, and jpb clients joined
 * to realm1 on two shared I/O threads and a two-thread executor (so that hundreds of clients
 * do not bring hundreds of threads). Not thread-safe: set up and torn down by one JMH thread.
 */
final class RouterBench implements AutoCloseable {
    final List<Router> routers = new ArrayList<>();
    final List<RouterEndpoint> endpoints = new ArrayList<>();
    private final List<PbClient> clients = new ArrayList<>();
    private final EventLoopGroup group;
    private final ExecutorService executor;
    private final NatsServer nats; // null: one router on its own

    /**
     * Starts {@code nodes} routers: one on its own, or several sharing a new nats-server as
     * cluster "bench"; returns once every node hears the others.
     */
    static RouterBench start(int nodes) throws Exception {
        return new RouterBench(nodes);
    }

    private RouterBench(int nodes) throws Exception {
        nats = nodes > 1 ? NatsServer.start() : null;
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        executor = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < nodes; i++) {
                Router.Builder b = Router.builder().maxQueuedEvents(1 << 20);
                if (nats != null) {
                    b.nats(nats.url()).clusterName("bench");
                }
                Router r = b.build();
                routers.add(r);
                endpoints.add(RouterEndpoint.builder(r).bind("127.0.0.1", 0).build().start());
            }
            awaitTrue(() -> routers.stream().allMatch(r -> r.clusterNodes().size()
                    == (nodes > 1 ? nodes : 0)), "the nodes hear each other");
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Connects a jpb client to a node and joins realm1. */
    RouterClient join(int node) throws Exception {
        PbClient c = PbClient.builder().eventLoopGroup(group).executor(executor)
                .register(Router.wireTypes()).connect("127.0.0.1", endpoints.get(node).pbPort());
        clients.add(c);
        RemoteReference root = c.getRootObject().get(30, TimeUnit.SECONDS);
        return RouterClient.join(root, "realm1").get(30, TimeUnit.SECONDS);
    }

    /** Waits until a call of {@code procedure} from {@code caller}'s node finds a callee. */
    static void awaitCallee(RouterClient caller, String procedure) throws InterruptedException {
        awaitTrue(() -> caller.call("wamp.registration.match", procedure).join().single()
                != null, "a callee of " + procedure + " on the caller's node");
    }

    /** Polls a condition every 10 ms for up to 30 s (set-up only, never measured). */
    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not within 30 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Closes the clients, the routers and nats-server. */
    @Override
    public void close() throws Exception {
        clients.forEach(PbClient::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdown();
        endpoints.forEach(RouterEndpoint::close);
        routers.forEach(Router::close);
        if (nats != null) {
            nats.close();
        }
    }

    /** A nats-server (Debian's, on the PATH or in /usr/sbin) on 127.0.0.1 and a free port. */
    static final class NatsServer implements AutoCloseable {
        private final Process process;
        private final int port;

        private NatsServer(Process process, int port) {
            this.process = process;
            this.port = port;
        }

        /** Starts it and returns once it listens. */
        static NatsServer start() throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String exe = new File("/usr/sbin/nats-server").canExecute() ? "/usr/sbin/nats-server"
                    : "nats-server";
            Process p = new ProcessBuilder(exe, "-a", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            NatsServer server = new NatsServer(p, port);
            try {
                awaitTrue(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException notYet) {
                        return false;
                    }
                }, "nats-server listens on " + port);
            } catch (RuntimeException | InterruptedException e) {
                server.close();
                throw e;
            }
            return server;
        }

        String url() {
            return "nats://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
