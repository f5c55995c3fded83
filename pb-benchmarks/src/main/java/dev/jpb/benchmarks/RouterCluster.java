package dev.jpb.benchmarks;

import dev.jpb.router.CallResult;
import dev.jpb.router.PublishOptions;
import dev.jpb.router.RouterClient;
import java.util.List;
import java.util.Map;
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
 * I/O threads. Not in {@code run.sh}'s default set: {@code pb-benchmarks/run.sh
 * 'RouterCluster'} (nats-server on the PATH or in /usr/sbin); the report's "C" rows.
 */
public class RouterCluster {
    static final int SUBSCRIBERS = 300;
    static final byte[] PAYLOAD = new byte[32];
    static final int WINDOW = 32;

    /** The nodes, a publisher, 300 subscribers, a callee and a caller. */
    @State(Scope.Benchmark)
    public static class ClusterState {
        /** How many router nodes: 1 (a router alone) or 3 (a cluster over NATS). */
        @Param({"1", "3"})
        public int nodes;

        final Deliveries deliveries = new Deliveries();
        RouterBench bench;
        RouterClient publisher;
        RouterClient caller;

        /** Starts nats-server (3 nodes), the routers and the clients. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            bench = RouterBench.start(nodes);
            for (int i = 0; i < SUBSCRIBERS; i++) {
                bench.join(i % nodes).subscribe("bench.fanout", e -> deliveries.delivered())
                        .get(30, TimeUnit.SECONDS);
            }
            publisher = bench.join(0);
            RouterClient callee = bench.join(nodes - 1);
            callee.register("bench.add", inv -> (Integer) inv.arg(0) + (Integer) inv.arg(1))
                    .get(30, TimeUnit.SECONDS);
            caller = bench.join(0);
            RouterBench.awaitCallee(caller, "bench.add");
        }

        /** Stops everything. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            bench.close();
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

    /**
     * {@value #WINDOW} events published back to back, then waited for at all 300 subscribers
     * (events/s = ops/s × {@value #WINDOW} × 300): not one event in flight but many, so this
     * finds the rate where the nodes (or NATS) saturate, the cluster's limit on this machine.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void fanOutWindow(ClusterState s) throws Exception {
        s.deliveries.expect(SUBSCRIBERS * WINDOW);
        for (int i = 0; i < WINDOW; i++) {
            s.publisher.publish("bench.fanout", List.of(PAYLOAD), Map.of(),
                    PublishOptions.defaults().acknowledge(false));
        }
        s.deliveries.await(SUBSCRIBERS * WINDOW);
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
