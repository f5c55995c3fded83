package dev.jpb.benchmarks;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * W3: one connection, one caller, sequential {@code echo(bytes)} calls of a {@value #BYTES}-byte
 * {@code byte[]} (random, the same every call), each waited for before the next: jpb's
 * {@link AddRoot#remote_echo}, the floor's echo frames, grpc-java's {@code Echo} and Java RMI's
 * {@link Rmi.Bench#echo}.
 * {@code latency*} sample the time per call; {@code throughput*} count calls per second, which
 * the report turns into MB/s: payload bytes echoed per second one way, calls/s × {@value #BYTES}
 * / 10<sup>6</sup>. Method names keep each jpb benchmark beside its baselines.
 */
@State(Scope.Thread)
public class W3Payload {
    /** The payload's size. */
    static final int BYTES = 16 * 1024;

    final byte[] payload = payload();

    /** Returns the payload: {@value #BYTES} random bytes from a fixed seed. */
    static byte[] payload() {
        byte[] bytes = new byte[BYTES];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    /** The floor, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyFloor(FloorState floor) throws Exception {
        return floor.client.echo(payload).get();
    }

    /** grpc-java, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyGrpc(GrpcState grpc) throws Exception {
        return grpc.client.echo(payload).get();
    }

    /** Java RMI, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyRmi(RmiState rmi) throws Exception {
        return rmi.bench.echo(payload);
    }

    /** jpb, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyJpb(JpbState jpb) throws Exception {
        return jpb.root.<byte[]>callRemote("echo", payload).get();
    }

    /** jpb with the direct executor on both ends, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyJpbDirect(JpbDirectState jpb) throws Exception {
        return jpb.root.<byte[]>callRemote("echo", payload).get();
    }

    /**
     * jpb with the arguments encoded on the caller's thread (jpb's internal switch, see
     * {@link JpbEncodeOnCallerState}), timed per call.
     */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(jvmArgsPrepend = JpbEncodeOnCallerState.ON)
    public byte[] latencyJpbEncodeOnCaller(JpbEncodeOnCallerState jpb) throws Exception {
        return jpb.root.<byte[]>callRemote("echo", payload).get();
    }

    /** jpb with the method marked {@code @NonBlocking}, default executors, timed per call. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] latencyJpbNonBlocking(JpbNonBlockingState jpb) throws Exception {
        return jpb.root.<byte[]>callRemote("echo", payload).get();
    }

    /** The floor, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] throughputFloor(FloorState floor) throws Exception {
        return floor.client.echo(payload).get();
    }

    /** grpc-java, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] throughputGrpc(GrpcState grpc) throws Exception {
        return grpc.client.echo(payload).get();
    }

    /** jpb, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] throughputJpb(JpbState jpb) throws Exception {
        return jpb.root.<byte[]>callRemote("echo", payload).get();
    }
}
