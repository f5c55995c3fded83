package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * W4: one caller, sequential calls each of which the server answers only after calling back
 * into the client once, timed per call.
 *
 * <ul>
 *   <li>jpb: {@code root.callRemote("withCallback", callback, a)} passes a client-side
 *       {@link PingCallback} by reference; {@link AddRoot#remote_withCallback} calls its
 *       {@code ping(a)} and returns that call's future, so the answer goes out when the
 *       callback's does and no server thread waits. One connection. {@code *NonBlocking}
 *       marks both methods {@link dev.jpb.NonBlocking} ({@link JpbNonBlockingState}).
 *   <li>floor: {@link Floor}'s hand-written frames on one connection (request, ping, ping
 *       answer, answer), every step on the event loops.
 *   <li>grpc-java: {@link Grpc}: the client hosts a callback server, the server's handler
 *       calls it asynchronously and answers when it answers; two connections (see there).
 *   <li>Java RMI: {@link Rmi}: the client exports a {@link Rmi.Callback} and passes its stub
 *       with each call; the server's thread calls its {@code ping(a)} (a blocking call over a
 *       connection from the server to the client's listener) and returns the answer.
 * </ul>
 *
 * Every callback answers {@code a + 1}, which is the call's answer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class W4Callback {
    int a = 41;

    /** The floor. */
    @Benchmark
    public int latencyFloor(FloorState floor) throws Exception {
        return floor.client.withCallback(a).get();
    }

    /** grpc-java. */
    @Benchmark
    public int latencyGrpc(GrpcState grpc) throws Exception {
        return grpc.client.withCallback(a).get();
    }

    /** Java RMI. */
    @Benchmark
    public int latencyRmi(RmiState rmi) throws Exception {
        return rmi.bench.withCallback(rmi.callback, a);
    }

    /** jpb. */
    @Benchmark
    public int latencyJpb(JpbState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("withCallback", jpb.callback, a).get();
    }

    /** jpb with the direct executor on both ends. */
    @Benchmark
    public int latencyJpbDirect(JpbDirectState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("withCallback", jpb.callback, a).get();
    }

    /** jpb with both methods marked {@code @NonBlocking}, default executors. */
    @Benchmark
    public int latencyJpbNonBlocking(JpbNonBlockingState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("withCallback", jpb.callback, a).get();
    }
}
