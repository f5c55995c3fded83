package dev.jpb.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * W1: one connection, one caller, sequential {@code add(a, b)} calls, each waited for before
 * the next. {@code latency*} sample the time per call (p50/p99/p99.9); {@code throughput*}
 * count calls per second. {@code *JpbDirect} run jpb with the direct executor on both ends, to
 * show what the hand-offs to the default executors cost; {@code *JpbNonBlocking} keep the
 * default executors and mark {@code remote_add} {@link dev.jpb.NonBlocking}; {@code *Grpc} is
 * the grpc-java baseline ({@link Grpc}); {@code *Rmi} Java RMI ({@link Rmi}, a blocking call
 * on the caller's thread); {@code *Tls} run jpb and the floor over TLS
 * ({@link TlsBench}); {@code *JpbWithTimeout} make each call through {@code
 * withTimeout(10 s)} (a CALL_DEADLINE on the wire, a timer per call). Method names keep each
 * jpb benchmark beside its
 * baselines (JMH runs them in alphabetical order within a mode).
 */
@State(Scope.Thread)
public class W1Latency {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    int a = 20;
    int b = 22;

    /** The floor, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyFloor(FloorState floor) throws Exception {
        return floor.client.add(a, b).get();
    }

    /** The floor over TLS (the same SslHandler as jpb's), timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyFloorTls(FloorTlsState floor) throws Exception {
        return floor.client.add(a, b).get();
    }

    /** grpc-java, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyGrpc(GrpcState grpc) throws Exception {
        return grpc.client.add(a, b).get();
    }

    /** Java RMI, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyRmi(RmiState rmi) throws Exception {
        return rmi.bench.add(a, b);
    }

    /** jpb, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpb(JpbState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb with the direct executor on both ends, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpbDirect(JpbDirectState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /**
     * jpb with the arguments encoded on the caller's thread (jpb's internal switch, see
     * {@link JpbEncodeOnCallerState}), timed per call.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(jvmArgsPrepend = JpbEncodeOnCallerState.ON)
    public int latencyJpbEncodeOnCaller(JpbEncodeOnCallerState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb with metrics on at both ends (see {@link JpbMetricsState}), timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpbMetrics(JpbMetricsState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb over TLS (a pinned server identity), timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpbTls(JpbTlsState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb, each call with a deadline ({@code withTimeout(10 s)}), timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpbWithTimeout(JpbState jpb) throws Exception {
        return jpb.root.withTimeout(TIMEOUT).<Integer>callRemote("add", a, b).get();
    }

    /** jpb with the method marked {@code @NonBlocking}, default executors, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int latencyJpbNonBlocking(JpbNonBlockingState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** The floor, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputFloor(FloorState floor) throws Exception {
        return floor.client.add(a, b).get();
    }

    /** grpc-java, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputGrpc(GrpcState grpc) throws Exception {
        return grpc.client.add(a, b).get();
    }

    /** jpb, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpb(JpbState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb with metrics on at both ends, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbMetrics(JpbMetricsState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb, each call with a deadline ({@code withTimeout(10 s)}), calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbWithTimeout(JpbState jpb) throws Exception {
        return jpb.root.withTimeout(TIMEOUT).<Integer>callRemote("add", a, b).get();
    }

    /** jpb with the direct executor on both ends, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbDirect(JpbDirectState jpb) throws Exception {
        return jpb.root.<Integer>callRemote("add", a, b).get();
    }
}
