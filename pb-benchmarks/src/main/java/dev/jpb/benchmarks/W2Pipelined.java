package dev.jpb.benchmarks;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W2: one connection with {@value Window#SIZE} calls in flight, in two forms.
 *
 * <p>The caller-window form ({@code floor}, {@code grpc}, {@code jpb}, ...): each invocation
 * sends one call from the benchmark thread once the window has room, and the call's
 * completion makes room again, so the score (calls per second) is the rate at which answers
 * come back. The window is drained after every iteration; a failed call fails the iteration.
 *
 * <p>The callback-window form ({@code window*}, {@link CallbackWindow}): the window refills
 * itself from the completion callbacks, as an application pipelining a stream of requests
 * writes it: the benchmark thread sends the first {@value Window#SIZE} calls of a batch of
 * {@value CallbackWindow#CALLS}, and each call's {@code whenComplete} callback (a lambda per
 * call) checks the answer and sends the next call of the batch from the thread that completed
 * it; the last completion releases the {@link Semaphore} the benchmark thread waits on. So
 * calls are made from the completing thread (the event loop for the floor and gRPC's
 * {@code directExecutor()}, an executor thread for jpb and gRPC's default executors), which
 * the caller-window form never does. Score: calls per second
 * ({@code @OperationsPerInvocation}); each batch ends with the window draining, about
 * {@value Window#SIZE} / {@value CallbackWindow#CALLS} of its calls.
 *
 * <p>Baselines: the floor and grpc-java ({@link Grpc}, its calls made with
 * {@code ClientCalls.asyncUnaryCall}), with {@code directExecutor()} and, in the callback form,
 * also with gRPC's default executors ({@link GrpcDefaultState}).
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

    /**
     * The callback-window form's batch: {@value #CALLS} calls, at most {@value Window#SIZE} in
     * flight, each sent by the completion callback of an earlier one.
     */
    @State(Scope.Thread)
    public static class CallbackWindow {
        static final int CALLS = 4096;

        private final Semaphore batchDone = new Semaphore(0);
        private final AtomicInteger unsent = new AtomicInteger();
        private final AtomicInteger unanswered = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private Supplier<? extends CompletionStage<Integer>> call;

        /**
         * Makes one batch of {@code call}s, each answering 42; returns when all are answered.
         *
         * @throws IllegalStateException if a call failed or answered something else
         * @throws TimeoutException if the batch is not answered within 30 s
         */
        void run(Supplier<? extends CompletionStage<Integer>> call)
                throws InterruptedException, TimeoutException {
            this.call = call;
            failure.set(null);
            unsent.set(CALLS);
            unanswered.set(CALLS);
            for (int i = 0; i < Window.SIZE; i++) {
                sendNext();
            }
            if (!batchDone.tryAcquire(30, TimeUnit.SECONDS)) {
                throw new TimeoutException(unanswered.get() + " of " + CALLS
                        + " calls still unanswered after 30 s");
            }
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("a pipelined call failed", t);
            }
        }

        private void sendNext() {
            if (unsent.getAndDecrement() <= 0) {
                return;
            }
            call.get().whenComplete((sum, t) -> {
                if (t == null && sum != 42) {
                    t = new IllegalStateException("a call answered " + sum + " (expected 42)");
                }
                if (t != null) {
                    failure.compareAndSet(null, t);
                    batchDone.release(); // fail the batch now: the rest will not be sent
                    return;
                }
                if (failure.get() == null) {
                    sendNext();
                }
                if (unanswered.decrementAndGet() == 0) {
                    batchDone.release();
                }
            });
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

    /**
     * jpb with the arguments encoded on the caller's thread (jpb's internal switch, see
     * {@link JpbEncodeOnCallerState}).
     */
    @Benchmark
    @Fork(jvmArgsPrepend = JpbEncodeOnCallerState.ON)
    public void jpbEncodeOnCaller(JpbEncodeOnCallerState jpb, Window window)
            throws InterruptedException {
        window.enter();
        jpb.root.<Integer>callRemote("add", a, b).whenComplete(window.done);
    }

    /** The floor, callback-window form. */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowFloor(FloorState floor, CallbackWindow window) throws Exception {
        window.run(() -> floor.client.add(a, b));
    }

    /** grpc-java on {@code directExecutor()}, callback-window form. */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowGrpc(GrpcState grpc, CallbackWindow window) throws Exception {
        window.run(() -> grpc.client.add(a, b));
    }

    /** grpc-java on its default executors, callback-window form. */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowGrpcDefault(GrpcDefaultState grpc, CallbackWindow window)
            throws Exception {
        window.run(() -> grpc.client.add(a, b));
    }

    /** jpb with its defaults, callback-window form. */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowJpb(JpbState jpb, CallbackWindow window) throws Exception {
        window.run(() -> jpb.root.<Integer>callRemote("add", a, b));
    }

    /**
     * jpb, callback-window form, its server method marked {@code @NonBlocking} (it runs on the
     * server's event loop); the completions still run on the client's executor. Information:
     * what the server's hand-off costs this form.
     */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowJpbNonBlocking(JpbNonBlockingState jpb, CallbackWindow window)
            throws Exception {
        window.run(() -> jpb.root.<Integer>callRemote("add", a, b));
    }

    /**
     * jpb, callback-window form, with the direct executor on both ends: no hand-off at all,
     * the completions (and so the next calls) on the client's event loop, as the floor's.
     * Information: what the hand-offs the threading rule asks for cost this form.
     */
    @Benchmark
    @OperationsPerInvocation(CallbackWindow.CALLS)
    public void windowJpbDirect(JpbDirectState jpb, CallbackWindow window) throws Exception {
        window.run(() -> jpb.root.<Integer>callRemote("add", a, b));
    }
}
