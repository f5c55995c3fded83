package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * W9: cache fan-out. {@value #CLIENTS} clients on one server, each holding a copy of the
 * server's one cacheable; one operation has the cacheable send one update
 * ({@code observe_deliver(byte[32])}) through every observer and waits until all
 * {@value #CLIENTS} copies have applied it. The score is updates delivered per second. The
 * floor is W6's ({@link FloorFanOut}, {@value #CLIENTS} connections); {@code references} is
 * W6's jpb fan-out through callbacks with {@value #CLIENTS} clients, and
 * {@code jpbNonBlocking} the cacheable's fan-out to copies whose {@code observe_deliver} is
 * {@code @NonBlocking}, and {@code floorHandOff} the floor whose clients count on an executor
 * as the threading rule makes jpb's copies run ({@link FloorFanOut}), for comparison. The
 * states are W6's sides ({@link FanOutTrial}) with {@value #CLIENTS} clients.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(W9CacheFanOut.CLIENTS)
public class W9CacheFanOut {
    static final int CLIENTS = 100;

    /** jpb: a server and {@value #CLIENTS} observing clients for one trial. */
    @State(Scope.Benchmark)
    public static class Cache extends FanOutTrial {
        @Override
        FanOut open() throws Exception {
            return new JpbCacheFanOut(CLIENTS);
        }
    }

    /** As {@link Cache}, the copies' {@code observe_deliver} marked {@code @NonBlocking}. */
    @State(Scope.Benchmark)
    public static class QuickCache extends FanOutTrial {
        @Override
        FanOut open() throws Exception {
            return new JpbCacheFanOut(CLIENTS, true);
        }
    }

    /** jpb through callbacks (W6's way) with {@value #CLIENTS} clients. */
    @State(Scope.Benchmark)
    public static class References extends FanOutTrial {
        @Override
        FanOut open() throws Exception {
            return new JpbFanOut(CLIENTS);
        }
    }

    /** The floor: a Netty server and {@value #CLIENTS} clients for one trial. */
    @State(Scope.Benchmark)
    public static class Floor extends FanOutTrial {
        @Override
        FanOut open() throws Exception {
            return new FloorFanOut(CLIENTS);
        }
    }

    /**
     * The floor, its clients counting on a {@value JpbClients#SHARED_THREADS}-thread executor
     * (each loop iteration's frames in one task): what the threading rule's hand-off costs a
     * Netty program that does nothing else.
     */
    @State(Scope.Benchmark)
    public static class FloorHandOff extends FanOutTrial {
        @Override
        FanOut open() throws Exception {
            return new FloorFanOut(CLIENTS, true);
        }
    }

    /** The floor. */
    @Benchmark
    public void floor(Floor floor) throws Exception {
        floor.fanOut.deliverToAll();
    }

    /** The floor, counted on an executor. */
    @Benchmark
    public void floorHandOff(FloorHandOff floor) throws Exception {
        floor.fanOut.deliverToAll();
    }

    /** jpb, a cacheable's update to every copy. */
    @Benchmark
    public void jpb(Cache cache) throws Exception {
        cache.fanOut.deliverToAll();
    }

    /** jpb, a cacheable's update to every copy, run on the I/O thread when it may. */
    @Benchmark
    public void jpbNonBlocking(QuickCache cache) throws Exception {
        cache.fanOut.deliverToAll();
    }

    /** jpb, a one-way call on every callback. */
    @Benchmark
    public void references(References references) throws Exception {
        references.fanOut.deliverToAll();
    }
}
