package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, point 1, for work a {@code remote_} method continues on another thread: calls made
 * inside {@link CallContext#wrap} (a {@code thenCompose} stage on another executor) inherit the
 * served call's remaining deadline and its cancellation, two hops deep over real sockets; the
 * same stage without the context inherits nothing.
 */
@Timeout(60)
class DeadlineContinuationTest {
    private final ExecutorService elsewhere = Executors.newSingleThreadExecutor();

    /** The leaf: reports the deadline it sees, or waits until its call is cancelled. */
    public static class Leaf extends Root {
        final CompletableFuture<Boolean> sawCancelled = new CompletableFuture<>();
        final CountDownLatch started = new CountDownLatch(1);

        public long remote_remaining() {
            return CallContext.current().timeRemaining().map(Duration::toMillis).orElse(-1L);
        }

        /** Never answers: its future is cancelled when the caller's CANCEL arrives. */
        public CompletableFuture<Void> remote_waitForCancel() {
            CompletableFuture<Void> never = new CompletableFuture<>();
            never.whenComplete((v, e) -> sawCancelled.complete(never.isCancelled()));
            started.countDown();
            return never;
        }
    }

    /** The middle: continues on another executor, then asks the leaf from there. */
    public static class Middle extends Root {
        final ExecutorService elsewhere;
        volatile RemoteReference leaf;

        Middle(ExecutorService elsewhere) {
            this.elsewhere = elsewhere;
        }

        public CompletableFuture<List<Long>> remote_hop(boolean withContext) {
            CallContext context = CallContext.current();
            java.util.function.Function<Integer, CompletableFuture<List<Long>>> ask = x -> {
                long mine = CallContext.current().timeRemaining().map(Duration::toMillis)
                        .orElse(-1L);
                return leaf.<Long>callRemote("remaining").thenApply(t -> List.of(mine, t));
            };
            CompletableFuture<Integer> later = CompletableFuture.supplyAsync(() -> 1, elsewhere);
            return withContext ? later.thenComposeAsync(context.wrap(ask), elsewhere)
                    : later.thenComposeAsync(x -> leaf.<Long>callRemote("remaining")
                            .thenApply(t -> List.of(-1L, t)), elsewhere);
        }

        public CompletableFuture<Void> remote_relayWait() {
            CallContext context = CallContext.current();
            return CompletableFuture.supplyAsync(() -> 1, elsewhere).thenComposeAsync(
                    context.wrap(x -> leaf.<Void>callRemote("waitForCancel")), elsewhere);
        }
    }

    @AfterEach
    void stop() {
        elsewhere.shutdownNow();
    }

    @Test
    void aCallMadeInAWrappedContinuationInheritsTheDeadlineTwoHopsDeep() throws Exception {
        Leaf leafRoot = new Leaf();
        try (PbServer leafServer = PbServer.builder().root(leafRoot).bind("127.0.0.1", 0)
                .build().start();
                PbClient toLeaf = PbClient.connect("127.0.0.1", leafServer.port())) {
            Middle middle = new Middle(elsewhere);
            middle.leaf = get(toLeaf.getRootObject());
            try (Loopback lo = new Loopback(middle)) {
                RemoteReference root = get(lo.client().getRootObject());
                List<Long> seen = get(root.withTimeout(Duration.ofSeconds(20))
                        .<List<Long>>callRemote("hop", true));
                assertThat(seen.get(0)).as("the middle, inside the context")
                        .isBetween(1L, 20_000L);
                assertThat(seen.get(1)).as("the leaf").isBetween(1L, seen.get(0));
                List<Long> bare = get(root.withTimeout(Duration.ofSeconds(20))
                        .<List<Long>>callRemote("hop", false));
                assertThat(bare).as("the same stage without the context").containsExactly(-1L,
                        -1L);
            }
        }
    }

    @Test
    void cancellingTheOuterCallCancelsTheCallMadeInAWrappedContinuation() throws Exception {
        Leaf leafRoot = new Leaf();
        try (PbServer leafServer = PbServer.builder().root(leafRoot).bind("127.0.0.1", 0)
                .build().start();
                PbClient toLeaf = PbClient.connect("127.0.0.1", leafServer.port())) {
            Middle middle = new Middle(elsewhere);
            middle.leaf = get(toLeaf.getRootObject());
            try (Loopback lo = new Loopback(middle)) {
                RemoteReference root = get(lo.client().getRootObject());
                CompletableFuture<Void> outer = root.callRemote("relayWait");
                assertThat(leafRoot.started.await(20, TimeUnit.SECONDS)).isTrue();
                outer.cancel(true);
                assertThat(leafRoot.sawCancelled.get(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
