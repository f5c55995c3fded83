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
 * W6: fan-out. {@value #CLIENTS} clients on one server, each subscribed with a callback; one
 * operation has the server send a one-way {@code deliver(byte[32])} to every callback and waits
 * until all {@value #CLIENTS} have run. The score is deliveries per second. The floor does the
 * same with raw Netty frames (see {@link FloorFanOut}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(W6FanOut.CLIENTS)
public class W6FanOut {
    static final int CLIENTS = 1000;

    /** jpb: a server and {@value #CLIENTS} subscribed clients for one trial. */
    @State(Scope.Benchmark)
    public static class Jpb extends FanOutTrial {
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

    /** The floor. */
    @Benchmark
    public void floor(Floor floor) throws Exception {
        floor.fanOut.deliverToAll();
    }

    /** jpb. */
    @Benchmark
    public void jpb(Jpb jpb) throws Exception {
        jpb.fanOut.deliverToAll();
    }
}
