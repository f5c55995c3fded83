package dev.jpb.benchmarks;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The grpc-java baseline's server and one client connected to it over loopback TCP, warmed up
 * with {@value #WARM_UP_CALLS} calls (or for {@link #WARM_UP_LIMIT}, whichever comes first)
 * before JMH's own warm-up starts; {@code -Djpb.bench.grpcWarmUpCalls=N} changes the count
 * ({@code run.sh --quick} makes fewer: its grpc numbers are then less warmed up).
 *
 * <p>Why the extra warm-up: grpc-java runs far more code per call than jpb or the floor, and
 * the JIT takes correspondingly longer over it. Seen here (2 CPUs, shared): W2 against
 * grpc-java rose from 10,000 to 70,000-100,000 calls/s over its first 10-15 one-second
 * iterations (some 300,000 calls), while jpb and the floor are steady within 4 s, inside
 * {@code run.sh}'s 5 × 1 s; without this the baseline would be measured half-compiled,
 * flattering jpb. The warm-up keeps 128 calls in flight, mostly {@code add} with one
 * {@code echo} and one {@code withCallback} in every 16, so every workload's path is compiled.
 */
@State(Scope.Benchmark)
public class GrpcState implements ServerSide {
    /** How many calls setup makes before the trial, at most. */
    static final int WARM_UP_CALLS = 300_000;
    /** How long setup makes calls before the trial, at most. */
    static final Duration WARM_UP_LIMIT = Duration.ofSeconds(20);

    Grpc.Server server;
    ServerProcess child;
    Grpc.Client client;

    /** Starts the server, connects the client, checks one call and warms up. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        if (ServerProcess.twoJvm()) {
            child = ServerProcess.start(getClass());
            port = child.port();
        } else {
            port = ServerProcess.port(startServer());
        }
        client = new Grpc.Client(port, direct());
        int sum = client.add(20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("grpc add(20, 22) returned " + sum);
        }
        long t0 = System.nanoTime();
        long calls = warmUp(Integer.getInteger("jpb.bench.grpcWarmUpCalls", WARM_UP_CALLS),
                WARM_UP_LIMIT);
        System.out.printf("%ngrpc-java baseline (%s) on %s; warmed up with %,d calls in %.1f s%n",
                direct() ? "directExecutor" : "default executors",
                Grpc.isEpoll() ? "epoll" : "NIO", calls, (System.nanoTime() - t0) / 1e9);
    }

    /** Returns whether both ends run on {@code directExecutor()} (else gRPC's defaults). */
    boolean direct() {
        return true;
    }

    @Override
    public String startServer() throws IOException {
        server = new Grpc.Server(direct());
        return Integer.toString(server.port());
    }

    @Override
    public void stopServer() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    /** Makes {@code maxCalls} calls or calls for {@code limit}, 128 in flight; returns how many. */
    long warmUp(int maxCalls, Duration limit) throws Exception {
        Semaphore room = new Semaphore(128);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        byte[] payload = W3Payload.payload();
        long end = System.nanoTime() + limit.toNanos();
        int calls = 0;
        while (calls < maxCalls && System.nanoTime() - end < 0 && failure.get() == null) {
            room.acquire();
            int i = calls++;
            CompletableFuture<?> call = switch (i % 16) {
                case 0 -> client.echo(payload);
                case 1 -> client.withCallback(i);
                default -> client.add(i, 1);
            };
            call.whenComplete((v, t) -> {
                if (t != null) {
                    failure.compareAndSet(null, t);
                }
                room.release();
            });
        }
        if (!room.tryAcquire(128, 30, TimeUnit.SECONDS)) {
            throw new TimeoutException("grpc warm-up: calls unanswered after 30 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("grpc warm-up: a call failed", failure.get());
        }
        return calls;
    }

    /** Closes the client, then the server (or ends the server's JVM). */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        stopServer();
        if (child != null) {
            child.close();
        }
    }
}
