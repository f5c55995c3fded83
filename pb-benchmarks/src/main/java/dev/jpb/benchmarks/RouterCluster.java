package dev.jpb.benchmarks;

import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.router.CallResult;
import dev.jpb.router.PublishOptions;
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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a cluster node costs: one publisher and 300 jpb subscribers on one router
 * ({@code nodes=1}, no NATS) against the same spread over three router nodes sharing a
 * nats-server ({@code nodes=3}, 100 subscribers each, the publisher on the first node);
 * {@code fanOut} waits until all 300 got the event (events/s = ops/s × 300). {@code call} times
 * a routed call whose callee is on another node ({@code nodes=3}) or the same one
 * ({@code nodes=1}). All nodes and clients run in this JVM on loopback; the clients share two
 * I/O threads. Not in {@code run.sh}'s default set: {@code java -jar
 * pb-benchmarks/target/benchmarks.jar RouterCluster} (nats-server on the PATH or in /usr/sbin).
 */
public class RouterCluster {
    static final int SUBSCRIBERS = 300;
    static final byte[] PAYLOAD = new byte[32];

    /** The nodes, a publisher, 300 subscribers, a callee and a caller. */
    @State(Scope.Benchmark)
    public static class ClusterState {
        /** How many router nodes: 1 (a router alone) or 3 (a cluster over NATS). */
        @Param({"1", "3"})
        public int nodes;

        final Deliveries deliveries = new Deliveries();
        Process nats;
        final List<Router> routers = new ArrayList<>();
        final List<RouterEndpoint> endpoints = new ArrayList<>();
        EventLoopGroup group;
        ExecutorService executor;
        final List<PbClient> clients = new ArrayList<>();
        RouterClient publisher;
        RouterClient caller;

        /** Starts nats-server (3 nodes), the routers and the clients. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            String url = nodes > 1 ? startNats() : null;
            for (int i = 0; i < nodes; i++) {
                Router.Builder b = Router.builder().maxQueuedEvents(1 << 20);
                if (url != null) {
                    b.nats(url).clusterName("bench");
                }
                Router r = b.build();
                routers.add(r);
                endpoints.add(RouterEndpoint.builder(r).bind("127.0.0.1", 0).build().start());
            }
            awaitTrue(() -> routers.stream().allMatch(r -> r.clusterNodes().size()
                    == (nodes > 1 ? nodes : 0)), "the nodes hear each other");
            group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
            executor = Executors.newFixedThreadPool(2);
            for (int i = 0; i < SUBSCRIBERS; i++) {
                join(i % nodes).subscribe("bench.fanout", e -> deliveries.delivered())
                        .get(30, TimeUnit.SECONDS);
            }
            publisher = join(0);
            RouterClient callee = join(nodes - 1);
            callee.register("bench.add", inv -> (Integer) inv.arg(0) + (Integer) inv.arg(1))
                    .get(30, TimeUnit.SECONDS);
            caller = join(0);
            awaitTrue(() -> {
                Object id = caller.call("wamp.registration.match", "bench.add").join().single();
                return id != null;
            }, "the callee's registration reaches the caller's node");
        }

        private String startNats() throws Exception {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String exe = new File("/usr/sbin/nats-server").canExecute() ? "/usr/sbin/nats-server"
                    : "nats-server";
            nats = new ProcessBuilder(exe, "-a", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            awaitTrue(() -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            }, "nats-server listens on " + port);
            return "nats://127.0.0.1:" + port;
        }

        private static void awaitTrue(java.util.function.BooleanSupplier c, String what)
                throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!c.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not within 30 s: " + what);
                }
                Thread.sleep(10);
            }
        }

        private RouterClient join(int node) throws Exception {
            PbClient c = PbClient.builder().eventLoopGroup(group).executor(executor)
                    .register(Router.wireTypes())
                    .connect("127.0.0.1", endpoints.get(node).pbPort());
            clients.add(c);
            RemoteReference root = c.getRootObject().get(30, TimeUnit.SECONDS);
            return RouterClient.join(root, "realm1").get(30, TimeUnit.SECONDS);
        }

        /** Stops everything. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            clients.forEach(PbClient::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            executor.shutdown();
            endpoints.forEach(RouterEndpoint::close);
            routers.forEach(Router::close);
            if (nats != null) {
                nats.destroy();
                nats.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** One event to 300 subscribers on the nodes, waited for. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void fanOut(ClusterState s) throws Exception {
        s.deliveries.expect(SUBSCRIBERS);
        s.publisher.publish("bench.fanout", List.of(PAYLOAD), Map.of(),
                PublishOptions.defaults().acknowledge(false));
        s.deliveries.await(SUBSCRIBERS);
    }

    /** One routed call, its callee on another node (3 nodes) or the same (1), timed. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object call(ClusterState s) throws Exception {
        CallResult r = s.caller.call("bench.add", 20, 22).get(30, TimeUnit.SECONDS);
        return r.single();
    }
}
