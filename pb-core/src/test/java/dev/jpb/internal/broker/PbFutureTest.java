package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.BlockingCallException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PbFutureTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private EventLoopGroup loop; // made by onEventLoop

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
        if (loop != null) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        }
    }

    @Test
    void derivedFuturesAreJpbsDerivedFutures() {
        PbFuture<Integer> f = new PbFuture<>();

        assertThat(f.thenApply(x -> x + 1)).isInstanceOf(DerivedFuture.class);
        assertThat(f.thenApplyAsync(x -> x + 1, pool)).isInstanceOf(DerivedFuture.class);
        assertThat(f.thenCompose(x -> CompletableFuture.completedFuture(x)))
                .isInstanceOf(DerivedFuture.class);
        assertThat(f.thenAccept(x -> { })).isInstanceOf(DerivedFuture.class);
        assertThat(f.thenCombine(f, Integer::sum)).isInstanceOf(DerivedFuture.class);
        assertThat(f.whenComplete((x, t) -> { })).isInstanceOf(DerivedFuture.class);
        assertThat(f.handle((x, t) -> x)).isInstanceOf(DerivedFuture.class);
        assertThat(f.exceptionally(t -> 0)).isInstanceOf(DerivedFuture.class);
        assertThat(f.copy()).isInstanceOf(DerivedFuture.class);
        assertThat(f.thenApply(x -> x).thenApply(x -> x)).isInstanceOf(DerivedFuture.class);
        assertThat(PbFuture.<Integer>forCall().whenComplete((x, t) -> { }))
                .isInstanceOf(DerivedFuture.class);
    }

    @Test
    void failedHelperGivesAFailedPbFuture() {
        IllegalStateException boom = new IllegalStateException("boom");

        PbFuture<String> f = PbFutures.failed(boom);

        assertThat(f).isCompletedExceptionally();
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCause(boom);
    }

    @Test
    void getOutsideASerialTaskWaitsForTheValue() throws Exception {
        PbFuture<String> f = new PbFuture<>();
        pool.execute(() -> f.complete("done"));

        assertThat(f.get()).isEqualTo("done");
        assertThat(f.join()).isEqualTo("done");
        assertThat(f.get(1, TimeUnit.SECONDS)).isEqualTo("done");
    }

    @Test
    void derivedFutureGetOutsideASerialTaskWaitsForTheValue() throws Exception {
        PbFuture<Integer> f = new PbFuture<>();
        CompletableFuture<Integer> derived = f.thenApply(x -> x * 2);
        pool.execute(() -> f.complete(21));

        assertThat(derived.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void timedGetOutsideASerialTaskTimesOut() {
        PbFuture<String> f = new PbFuture<>();

        assertThatThrownBy(() -> f.get(10, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void getOfAFailedFutureThrowsExecutionException() {
        PbFuture<String> f = new PbFuture<>();
        IllegalStateException boom = new IllegalStateException("boom");
        pool.execute(() -> f.completeExceptionally(boom));

        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class).hasCause(boom);
    }

    // ---- hand-off of a call's answer to the thread blocked on it

    /** An executor that must not be used: the answer goes to the waiting thread. */
    private static final java.util.concurrent.Executor UNUSED = task -> {
        throw new AssertionError("the answer went to the executor, not to the waiting thread");
    };

    /** Waits until {@code t} is parked waiting for {@code f}'s answer (in awaitAnswer). */
    private static void awaitParkedOn(Thread t, PbFuture<?> f) {
        await().atMost(Duration.ofSeconds(5)).until(() -> LockSupport.getBlocker(t) == f);
    }

    /** A thread started by {@link #blockOn}, and what its call returned or threw. */
    private record Blocked(Thread thread, CompletableFuture<Object> outcome) {
    }

    /** Starts a thread running {@code call} and waits until it is parked on {@code f}. */
    private static Blocked blockOn(PbFuture<?> f, String name,
            java.util.concurrent.Callable<?> call) {
        return blockOn(f, r -> new Thread(r, name), call);
    }

    /** Starts a thread made by {@code threads} running {@code call}, parked on {@code f}. */
    private static Blocked blockOn(PbFuture<?> f, java.util.concurrent.ThreadFactory threads,
            java.util.concurrent.Callable<?> call) {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread t = threads.newThread(() -> {
            try {
                outcome.complete(call.call());
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        t.start();
        awaitParkedOn(t, f);
        return new Blocked(t, outcome);
    }

    /** Waits until {@code t} is blocked (parked or waiting) on anything. */
    private static void awaitBlocked(Thread t) {
        await().atMost(Duration.ofSeconds(5)).until(() -> t.getState() == Thread.State.WAITING
                || t.getState() == Thread.State.TIMED_WAITING);
    }

    @Test
    void theAnswerIsHandedToTheThreadBlockedInGetWhichRunsTheCallbacks() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        java.util.List<String> callbackThreads = java.util.Collections.synchronizedList(
                new java.util.ArrayList<>());
        f.thenRun(() -> callbackThreads.add(Thread.currentThread().getName()));
        Blocked waiter = blockOn(f, "the-waiter", f::get);

        f.deliver("answer", null, UNUSED);

        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(callbackThreads).containsExactly("the-waiter");
    }

    @Test
    void aFailureIsHandedToTheThreadBlockedInJoin() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        IllegalStateException boom = new IllegalStateException("boom");
        Blocked waiter = blockOn(f, "joiner", f::join);

        f.deliver(null, boom, UNUSED);

        assertThat((Throwable) waiter.outcome().get(5, TimeUnit.SECONDS))
                .isInstanceOf(CompletionException.class).hasCause(boom);
    }

    @Test
    void withNobodyWaitingTheAnswerGoesToTheExecutor() throws Exception {
        PbFuture<String> f = PbFuture.forCall();

        f.deliver("answer", null, pool);

        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(f.get()).isEqualTo("answer"); // a later get does not wait for a hand-off
    }

    @Test
    void aDerivedFutureNeverWaitsForAHandOff() throws Exception {
        PbFuture<Integer> f = PbFuture.forCall();
        CompletableFuture<Integer> derived = f.thenApply(x -> x * 2);
        Thread caller = Thread.currentThread();
        pool.execute(() -> {
            awaitBlocked(caller);
            f.deliver(21, null, Runnable::run);
        });

        assertThat(derived.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }

    @Test
    void anAnswerAfterATimedOutGetStillCompletesTheFuture() throws Exception {
        PbFuture<String> f = PbFuture.forCall();

        assertThatThrownBy(() -> f.get(20, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        f.deliver("late", null, pool);

        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("late");
    }

    @Test
    void anInterruptedGetThrowsAndTheAnswerStillArrives() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        Blocked waiter = blockOn(f, "interrupted", f::get);

        waiter.thread().interrupt();

        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS))
                .isInstanceOf(InterruptedException.class);
        f.deliver("after", null, pool);
        assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("after");
    }

    @Test
    void completingFromElsewhereWakesTheWaitingThread() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        Blocked waiter = blockOn(f, "cancelled", f::get);

        f.cancel(false);

        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
        f.deliver("ignored", null, UNUSED); // already done: the answer is dropped, nothing runs
        assertThat(f).isCancelled();
    }

    @Test
    void orTimeoutWakesTheWaitingThread() {
        PbFuture<String> f = PbFuture.forCall();
        f.orTimeout(20, TimeUnit.MILLISECONDS);

        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void completeAsyncWakesTheWaitingThread() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        Thread caller = Thread.currentThread();
        pool.execute(() -> {
            awaitParkedOn(caller, f);
            f.completeAsync(() -> "async", pool);
        });

        assertThat(f.get()).isEqualTo("async");
    }

    @Test
    void twoWaitingThreadsBothGetTheAnswer() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService two = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r);
            threads.add(t);
            return t;
        });
        try {
            java.util.concurrent.Future<String> a = two.submit(() -> f.get());
            java.util.concurrent.Future<String> b = two.submit(() -> f.join());
            await().atMost(Duration.ofSeconds(5)).until(() -> threads.size() == 2);
            threads.forEach(PbFutureTest::awaitBlocked);

            f.deliver("both", null, pool);

            assertThat(a.get(5, TimeUnit.SECONDS)).isEqualTo("both");
            assertThat(b.get(5, TimeUnit.SECONDS)).isEqualTo("both");
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void racingAnswersAndWaitersNeverLoseAnAnswer() throws Exception {
        ExecutorService deliverers = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 20_000; i++) {
                PbFuture<Integer> f = PbFuture.forCall();
                int expected = i;
                deliverers.execute(() -> f.deliver(expected, null, pool));
                int got = (i & 1) == 0 ? f.get(5, TimeUnit.SECONDS) : f.join();
                assertThat(got).isEqualTo(expected);
            }
        } finally {
            deliverers.shutdownNow();
        }
    }

    // ---- forwarding a call's answer (a remote_ method returning another call's future)

    @Test
    void aForwardedAnswerGoesOutOnTheReadingThreadBeforeTheFutureCompletes() {
        PbFuture<String> f = PbFuture.forCall();
        List<String> forwarded = new ArrayList<>();
        java.util.ArrayDeque<Runnable> executor = new java.util.ArrayDeque<>();

        assertThat(f.forwardTo((v, t) -> forwarded.add(v + " on "
                + Thread.currentThread().getName()))).isTrue();
        f.deliver("answer", null, executor::add);

        assertThat(forwarded).containsExactly("answer on " + Thread.currentThread().getName());
        assertThat(f).isNotDone(); // its own completion (and callbacks) wait for the executor
        executor.poll().run();
        assertThat(f).isCompletedWithValue("answer");
        assertThat(forwarded).hasSize(1);
    }

    @Test
    void aForwardedFutureSomethingDependsOnCompletesAtOnceOnTheExecutor() {
        PbFuture<String> f = PbFuture.forCall();
        java.util.ArrayDeque<Runnable> executor = new java.util.ArrayDeque<>();
        f.forwardTo((v, t) -> { });
        CompletableFuture<String> derived = f.thenApply(v -> v + "!"); // kept after returning it

        f.deliver("answer", null, executor::add);

        assertThat(executor).hasSize(1);
        executor.poll().run();
        assertThat(derived).isCompletedWithValue("answer!");
    }

    @Test
    void aForwardedFailureArrivesUnwrapped() {
        PbFuture<String> f = PbFuture.forCall();
        List<Throwable> forwarded = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        f.forwardTo((v, t) -> forwarded.add(t));

        f.deliver(null, boom, Runnable::run);

        assertThat(forwarded).containsExactly(boom);
    }

    @Test
    void forwardingIsRefusedOnceSomethingDependsOnTheFutureOrItIsDone() {
        PbFuture<String> withCallback = PbFuture.forCall();
        withCallback.thenRun(() -> { });
        PbFuture<String> done = PbFuture.forCall();
        done.complete("x");
        PbFuture<String> twice = PbFuture.forCall();
        twice.forwardTo((v, t) -> { });

        assertThat(withCallback.forwardTo((v, t) -> { })).isFalse();
        assertThat(done.forwardTo((v, t) -> { })).isFalse();
        assertThat(twice.forwardTo((v, t) -> { })).isFalse();
        assertThat(new PbFuture<String>().forwardTo((v, t) -> { })).isFalse();
    }

    @Test
    void aForwardedFutureCancelledMeanwhileForwardsTheCancellationOnce() {
        PbFuture<String> f = PbFuture.forCall();
        List<Throwable> forwarded = new ArrayList<>();
        f.forwardTo((v, t) -> forwarded.add(t));

        f.cancel(false);
        f.deliver("late", null, UNUSED);

        assertThat(forwarded).hasSize(1);
        assertThat(forwarded.get(0)).isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    // ---- blocking on a Netty event loop (where a direct executor runs user code)

    /** Runs {@code call} on a Netty event loop and returns what it returned or threw. */
    private Object onEventLoop(java.util.concurrent.Callable<?> call) throws Exception {
        if (loop == null) {
            loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        }
        return loop.submit(() -> {
            try {
                return call.call();
            } catch (Throwable t) {
                return t;
            }
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void blockingOnAnEventLoopThrowsBlockingCallExceptionInsteadOfParking() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        CompletableFuture<String> derived = f.thenApply(x -> x);

        assertThat(onEventLoop(f::get)).isInstanceOfSatisfying(BlockingCallException.class,
                e -> assertThat(e).hasMessageStartingWith(
                        "blocking on a jpb call from an I/O thread (")
                        .hasMessageContaining("would deadlock")
                        .hasMessageContaining("thenApply/thenCompose")
                        .hasMessageEndingWith("or use a non-direct executor"));
        assertThat(onEventLoop(() -> f.get(5, TimeUnit.SECONDS)))
                .isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(f::join)).isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(derived::get)).isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(derived::join)).isInstanceOf(BlockingCallException.class);

        // the refusals left the future as it was: a thread off the loop is still handed the answer
        Blocked waiter = blockOn(f, "off-the-loop", f::get);
        f.deliver("answer", null, UNUSED);
        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(derived.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    }

    @Test
    void aFutureDerivedTwiceRefusesAnEventLoopInEveryWayOfBlockingButMayBePolled()
            throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        CompletableFuture<String> twice = f.thenApply(x -> x + "!").whenComplete((x, t) -> { });

        assertThat(onEventLoop(twice::get)).isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(() -> twice.get(5, TimeUnit.SECONDS)))
                .isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(twice::join)).isInstanceOf(BlockingCallException.class);
        assertThat(onEventLoop(() -> twice.get(0, TimeUnit.SECONDS)))
                .as("a poll never waits").isInstanceOf(TimeoutException.class);

        f.deliver("answer", null, Runnable::run);
        assertThat(onEventLoop(twice::get)).isEqualTo("answer!");
        assertThat(onEventLoop(() -> twice.get(5, TimeUnit.SECONDS))).isEqualTo("answer!");
    }

    @Test
    void aRefusedGetKeepsItsSerialTurn() throws Exception {
        SerialExecutor serial = new SerialExecutor(Runnable::run, SerialExecutorTest.REFUSALS_FAIL);
        PbFuture<String> f = PbFuture.forCall();
        List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();

        onEventLoop(() -> {
            serial.execute(() -> {
                serial.execute(() -> order.add("second task"));
                try {
                    f.get();
                } catch (BlockingCallException e) {
                    order.add("refused");
                } catch (Exception e) {
                    order.add("unexpected " + e);
                }
                order.add("first task ends");
            });
            return null;
        });

        // a released turn would have run the second task inline, inside the refused get
        assertThat(order).containsExactly("refused", "first task ends", "second task");
    }

    @Test
    void aDoneFutureGivesItsResultOnAnEventLoop() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        f.deliver("done", null, Runnable::run);
        IllegalStateException boom = new IllegalStateException("boom");
        PbFuture<String> failed = PbFutures.failed(boom);

        assertThat(onEventLoop(f::get)).isEqualTo("done");
        assertThat(onEventLoop(() -> f.get(5, TimeUnit.SECONDS))).isEqualTo("done");
        assertThat(onEventLoop(f::join)).isEqualTo("done");
        assertThat(onEventLoop(() -> f.thenApply(x -> x + "!").join())).isEqualTo("done!");
        assertThat(onEventLoop(failed::get)).isInstanceOfSatisfying(ExecutionException.class,
                e -> assertThat(e).hasCause(boom));
        assertThat(onEventLoop(failed::join)).isInstanceOfSatisfying(CompletionException.class,
                e -> assertThat(e).hasCause(boom));
    }

    @Test
    void aZeroTimeoutGetOnlyPollsAndLeavesTheHandOffOpen() throws Exception {
        PbFuture<String> f = PbFuture.forCall();

        assertThat(onEventLoop(() -> f.get(0, TimeUnit.SECONDS)))
                .isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> f.get(-1, TimeUnit.SECONDS))
                .isInstanceOf(TimeoutException.class);

        Blocked waiter = blockOn(f, "after-polls", f::join);
        f.deliver("answer", null, UNUSED);
        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    }

    @Test
    void blockingOnANettyThreadThatIsNoEventLoopIsNotRefused() throws Exception {
        // the default executor's threads are Netty FastThreadLocalThreads, but no event loops
        PbFuture<String> f = PbFuture.forCall();
        Blocked waiter = blockOn(f,
                new io.netty.util.concurrent.DefaultThreadFactory("not-a-loop", true), f::get);

        f.deliver("answer", null, UNUSED);

        assertThat(waiter.outcome().get(5, TimeUnit.SECONDS)).isEqualTo("answer");
    }
}
