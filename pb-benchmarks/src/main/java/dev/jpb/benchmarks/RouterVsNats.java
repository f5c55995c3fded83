package dev.jpb.benchmarks;

import dev.jpb.router.CallResult;
import dev.jpb.router.PublishOptions;
import dev.jpb.router.RouterClient;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The router against NATS (Debian's {@code nats-server}, the {@code io.nats:jnats} client), on
 * loopback in this JVM: {@code fanOut*} publishes one small event to 100 subscribers and waits
 * until all got it (events/s = ops/s × 100); {@code call*} times one routed call (a callee
 * answering through the router) against NATS request-reply. jpb clients use the router's jpb
 * face with {@link RouterClient}, 100 of them on two shared I/O threads. Not part of
 * {@code run.sh}'s default set: {@code pb-benchmarks/run.sh 'RouterVsNats'} (nats-server
 * must be on the PATH or in /usr/sbin); the report's rows "R fan-out" and "R call p50".
 */
public class RouterVsNats {
    static final int SUBSCRIBERS = 100;
    static final byte[] PAYLOAD = new byte[32];

    /** The router, a publisher, 100 subscribers, a callee and a caller. */
    @State(Scope.Benchmark)
    public static class RouterState {
        final Deliveries deliveries = new Deliveries();
        RouterBench bench;
        RouterClient publisher;
        RouterClient caller;

        /** Starts everything. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            bench = RouterBench.start(1);
            for (int i = 0; i < SUBSCRIBERS; i++) {
                bench.join(0).subscribe("bench.fanout", e -> deliveries.delivered())
                        .get(30, TimeUnit.SECONDS);
            }
            publisher = bench.join(0);
            RouterClient callee = bench.join(0);
            callee.register("bench.add", inv -> (Integer) inv.arg(0) + (Integer) inv.arg(1))
                    .get(30, TimeUnit.SECONDS);
            caller = bench.join(0);
        }

        /** Stops everything. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            bench.close();
        }
    }

    /** A nats-server process, a publisher, 100 subscriber connections, a responder. */
    @State(Scope.Benchmark)
    public static class NatsState {
        final Deliveries deliveries = new Deliveries();
        RouterBench.NatsServer server;
        final List<Connection> connections = new ArrayList<>();
        Connection publisher;
        Connection caller;

        /** Starts nats-server on a free port and connects. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            server = RouterBench.NatsServer.start();
            Options options = new Options.Builder().server(server.url())
                    .connectionTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < SUBSCRIBERS; i++) {
                Connection c = connect(options);
                c.createDispatcher(m -> deliveries.delivered()).subscribe("bench.fanout");
                c.flush(Duration.ofSeconds(10));
            }
            publisher = connect(options);
            Connection responder = connect(options);
            Dispatcher d = responder.createDispatcher((Message m) ->
                    responder.publish(m.getReplyTo(), m.getData()));
            d.subscribe("bench.add");
            responder.flush(Duration.ofSeconds(10));
            caller = connect(options);
        }

        private Connection connect(Options options) throws Exception {
            Connection c = Nats.connect(options);
            connections.add(c);
            return c;
        }

        /** Closes the connections and stops the server. */
        @TearDown(Level.Trial)
        public void stop() throws Exception {
            for (Connection c : connections) {
                c.close();
            }
            server.close();
        }
    }

    /** The router: one event to 100 jpb subscribers, waited for. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void fanOutRouter(RouterState s) throws Exception {
        s.deliveries.expect(SUBSCRIBERS);
        s.publisher.publish("bench.fanout", List.of(PAYLOAD), Map.of(),
                PublishOptions.defaults().acknowledge(false));
        s.deliveries.await(SUBSCRIBERS);
    }

    /** NATS: one message to 100 subscribers, waited for. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void fanOutNats(NatsState s) throws Exception {
        s.deliveries.expect(SUBSCRIBERS);
        s.publisher.publish("bench.fanout", PAYLOAD);
        s.deliveries.await(SUBSCRIBERS);
    }

    /** The router: one routed call, timed. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object callRouter(RouterState s) throws Exception {
        CallResult r = s.caller.call("bench.add", 20, 22).get(30, TimeUnit.SECONDS);
        return r.single();
    }

    /** NATS: one request-reply, timed. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object callNats(NatsState s) throws Exception {
        return s.caller.request("bench.add", PAYLOAD, Duration.ofSeconds(30));
    }
}
