package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W9: cache fan-out. {@value #CLIENTS} clients on one server, each holding a copy of the
 * server's one cacheable; one operation has the cacheable send one update
 * ({@code observe_deliver(byte[32])}) through every observer and waits until all
 * {@value #CLIENTS} copies have applied it. The score is updates delivered per second. The
 * floor is W6's ({@link FloorFanOut}, {@value #CLIENTS} connections); {@code references} is
 * W6's jpb fan-out through callbacks with {@value #CLIENTS} clients, for comparison.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(W9CacheFanOut.CLIENTS)
public class W9CacheFanOut {
    static final int CLIENTS = 100;

    /** jpb: a server and {@value #CLIENTS} observing clients for one trial. */
    @State(Scope.Benchmark)
    public static class Cache {
        JpbCacheFanOut fanOut;

        /** Connects the clients; each takes a copy. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            fanOut = new JpbCacheFanOut(CLIENTS);
            fanOut.deliverToAll();
        }

        /** Closes everything. */
        @TearDown(Level.Trial)
        public void stop() {
            if (fanOut != null) {
                fanOut.close();
            }
        }
    }

    /** jpb through callbacks (W6's way) with {@value #CLIENTS} clients. */
    @State(Scope.Benchmark)
    public static class References {
        JpbFanOut fanOut;

        /** Connects and subscribes the clients. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            fanOut = new JpbFanOut(CLIENTS);
            fanOut.deliverToAll();
        }

        /** Closes everything. */
        @TearDown(Level.Trial)
        public void stop() {
            if (fanOut != null) {
                fanOut.close();
            }
        }
    }

    /** The floor: a Netty server and {@value #CLIENTS} clients for one trial. */
    @State(Scope.Benchmark)
    public static class Floor {
        FloorFanOut fanOut;

        /** Connects the clients. */
        @Setup(Level.Trial)
        public void start() throws Exception {
            fanOut = new FloorFanOut(CLIENTS);
            fanOut.deliverToAll();
        }

        /** Closes everything. */
        @TearDown(Level.Trial)
        public void stop() {
            if (fanOut != null) {
                fanOut.close();
            }
        }
    }

    /** The floor. */
    @Benchmark
    public void floor(Floor floor) throws Exception {
        floor.fanOut.deliverToAll();
    }

    /** jpb, a cacheable's update to every copy. */
    @Benchmark
    public void jpb(Cache cache) throws Exception {
        cache.fanOut.deliverToAll();
    }

    /** jpb, a one-way call on every callback. */
    @Benchmark
    public void references(References references) throws Exception {
        references.fanOut.deliverToAll();
    }
}
