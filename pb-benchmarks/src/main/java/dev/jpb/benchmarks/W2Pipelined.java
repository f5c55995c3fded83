package dev.jpb.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W2: one connection with {@value Window#SIZE} calls in flight. Each invocation sends one call
 * once the window has room, and the call's completion makes room again, so the score (calls
 * per second) is the rate at which answers come back. The window is drained after every
 * iteration; a failed call fails the iteration. Baselines: the floor and grpc-java
 * ({@link Grpc}, its calls made with {@code ClientCalls.asyncUnaryCall}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class W2Pipelined {
    /** The calls in flight, and the first failure if any. */
    @State(Scope.Benchmark)
    public static class Window {
        static final int SIZE = 128;

        final Semaphore room = new Semaphore(SIZE);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final BiConsumer<Object, Throwable> done = (v, t) -> {
            if (t != null) {
                failure.compareAndSet(null, t);
            }
            room.release();
        };

        void enter() throws InterruptedException {
            room.acquire();
        }

        /** Waits for every call in flight to complete; fails on a lost or failed call. */
        @TearDown(Level.Iteration)
        public void drain() throws Exception {
            if (!room.tryAcquire(SIZE, 30, TimeUnit.SECONDS)) {
                throw new TimeoutException((SIZE - room.availablePermits())
                        + " calls still unanswered after 30 s");
            }
            room.release(SIZE);
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("a pipelined call failed", t);
            }
        }
    }

    int a = 20;
    int b = 22;

    /** The floor. */
    @Benchmark
    public void floor(FloorState floor, Window window) throws InterruptedException {
        window.enter();
        floor.client.add(a, b).whenComplete(window.done);
    }

    /** The floor over TLS (the same SslHandler as jpb's). */
    @Benchmark
    public void floorTls(FloorTlsState floor, Window window) throws InterruptedException {
        window.enter();
        floor.client.add(a, b).whenComplete(window.done);
    }

    /** grpc-java. */
    @Benchmark
    public void grpc(GrpcState grpc, Window window) throws InterruptedException {
        window.enter();
        grpc.client.add(a, b).whenComplete(window.done);
    }

    /** jpb. */
    @Benchmark
    public void jpb(JpbState jpb, Window window) throws InterruptedException {
        window.enter();
        jpb.root.<Integer>callRemote("add", a, b).whenComplete(window.done);
    }

    /** jpb with metrics on at both ends (see {@link JpbMetricsState}). */
    @Benchmark
    public void jpbMetrics(JpbMetricsState jpb, Window window) throws InterruptedException {
        window.enter();
        jpb.root.<Integer>callRemote("add", a, b).whenComplete(window.done);
    }

    /** jpb over TLS (a pinned server identity; see {@link JpbTlsState}). */
    @Benchmark
    public void jpbTls(JpbTlsState jpb, Window window) throws InterruptedException {
        window.enter();
        jpb.root.<Integer>callRemote("add", a, b).whenComplete(window.done);
    }

    /** jpb with the direct executor on both ends (see {@link JpbDirectState}). */
    @Benchmark
    public void jpbDirect(JpbDirectState jpb, Window window) throws InterruptedException {
        window.enter();
        jpb.root.<Integer>callRemote("add", a, b).whenComplete(window.done);
    }
}
