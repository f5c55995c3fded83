package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The serial executors of many connections on one event loop, batched per loop iteration
 * ({@link LoopBatch}): real channels registered on a real NIO loop, a real 2-thread pool.
 */
@Timeout(20)
class LoopBatchTest {
    private static final int POOL_THREADS = 2;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            NioIoHandler.newFactory());
    private final ExecutorService pool = Executors.newFixedThreadPool(POOL_THREADS);
    private final AtomicInteger delegated = new AtomicInteger();
    private final Executor countingPool = task -> {
        delegated.incrementAndGet();
        pool.execute(task);
    };
    private final List<Channel> channels = new ArrayList<>();

    @AfterEach
    void shutdown() throws InterruptedException {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private List<SerialExecutor> serials(int n, Executor executor,
            IntFunction<java.util.function.BiConsumer<Runnable, RejectedExecutionException>>
                    refused) {
        List<SerialExecutor> serials = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Channel channel = new NioSocketChannel();
            group.next().register(channel).syncUninterruptibly();
            channels.add(channel);
            serials.add(new SerialExecutor(executor, channel, true, refused.apply(i)));
        }
        return serials;
    }

    private List<SerialExecutor> serials(int n) {
        return serials(n, countingPool, i -> SerialExecutorTest.REFUSALS_FAIL);
    }

    /** Runs {@code work} as one task of the (one) event loop: one loop iteration. */
    private void onLoop(Runnable work) {
        group.next().submit(work).syncUninterruptibly();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void turnsScheduledInOneLoopIterationReachTheExecutorInAtMostPoolThreadsPlusTwoTasks() {
        int n = 50;
        List<SerialExecutor> serials = serials(n);
        CountDownLatch ran = new CountDownLatch(n);

        onLoop(() -> serials.forEach(s -> s.execute(ran::countDown)));

        await(ran);
        // One task per connection without the batch (50); with it, the first turn on its own,
        // then one for the rest plus a helper per pool thread at most, whatever the number of
        // connections.
        assertThat(delegated.get()).isBetween(2, POOL_THREADS + 2);
    }

    @Test
    void aTurnScheduledAloneIsSubmittedAloneAndRuns() {
        List<SerialExecutor> serials = serials(1);
        CountDownLatch ran = new CountDownLatch(1);

        onLoop(() -> serials.get(0).execute(ran::countDown));

        await(ran);
        assertThat(delegated.get()).isEqualTo(1);
    }

    @Test
    void theFirstTurnOfAnIterationStartsBeforeTheIterationEnds() {
        List<SerialExecutor> serials = serials(3);
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch rest = new CountDownLatch(2);
        AtomicBoolean firstRanDuringTheIteration = new AtomicBoolean();

        onLoop(() -> {
            serials.get(0).execute(first::countDown);
            serials.get(1).execute(rest::countDown);
            serials.get(2).execute(rest::countDown);
            try {
                // A lone call (W1's) must not wait for the loop to finish its iteration.
                firstRanDuringTheIteration.set(first.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertThat(rest.getCount()).isEqualTo(2); // batched: after the iteration
        });

        await(rest);
        assertThat(firstRanDuringTheIteration).isTrue();
        assertThat(delegated.get()).isBetween(2, POOL_THREADS + 2);
    }

    @Test
    void turnsForTwoExecutorsInOneIterationEachReachTheirOwnExecutorAgainAndAgain() {
        ExecutorService otherPool = Executors.newFixedThreadPool(1,
                task -> new Thread(task, "other-pool"));
        try {
            AtomicInteger otherDelegated = new AtomicInteger();
            Executor otherCounting = task -> {
                otherDelegated.incrementAndGet();
                otherPool.execute(task);
            };
            List<SerialExecutor> mine = serials(10);
            List<SerialExecutor> other = serials(10, otherCounting,
                    i -> SerialExecutorTest.REFUSALS_FAIL);
            for (int round = 1; round <= 3; round++) { // the idle batches are reused
                CountDownLatch ranOnMine = new CountDownLatch(10);
                CountDownLatch ranOnOther = new CountDownLatch(10);
                List<String> wrongThread = Collections.synchronizedList(new ArrayList<>());
                onLoop(() -> {
                    for (int c = 0; c < 10; c++) {
                        other.get(c).execute(() -> {
                            if (!Thread.currentThread().getName().equals("other-pool")) {
                                wrongThread.add(Thread.currentThread().getName());
                            }
                            ranOnOther.countDown();
                        });
                        mine.get(c).execute(ranOnMine::countDown);
                    }
                });
                await(ranOnMine);
                await(ranOnOther);
                assertThat(wrongThread).isEmpty();
                assertThat(delegated.get()).isBetween(2 * round, round * (POOL_THREADS + 2));
                assertThat(otherDelegated.get()).isBetween(2 * round, round * 3); // 1 thread
            }
        } finally {
            otherPool.shutdownNow();
        }
    }

    @Test
    void aDirectExecutorRunsABigBatchOnTheLoopWithoutNestingARunnerPerTurn() {
        int n = 3000; // a helper nested per turn would be thousands of frames deep
        List<SerialExecutor> serials = serials(n, Runnable::run,
                i -> SerialExecutorTest.REFUSALS_FAIL);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger deepest = new AtomicInteger();
        CountDownLatch ran = new CountDownLatch(n);

        onLoop(() -> {
            for (int c = 0; c < n; c++) {
                int connection = c;
                serials.get(c).execute(() -> {
                    deepest.accumulateAndGet(new Throwable().getStackTrace().length, Math::max);
                    if (!group.next().inEventLoop()) {
                        threads.add(Thread.currentThread().getName());
                    }
                    order.add(connection);
                    ran.countDown();
                });
            }
            // The first at once (a direct executor runs it here), the rest after the iteration.
            assertThat(order).containsExactly(0);
        });

        await(ran);
        assertThat(order).hasSize(n).isSorted();
        assertThat(threads).isEmpty();
        assertThat(deepest.get()).isLessThan(200);
    }

    @Test
    void eachConnectionKeepsItsOrderOneTaskAtATimeAcrossManyBatches() {
        int n = 20;
        int perConnection = 300;
        List<SerialExecutor> serials = serials(n);
        List<List<Integer>> seen = new ArrayList<>();
        AtomicInteger[] running = new AtomicInteger[n];
        AtomicInteger overlaps = new AtomicInteger();
        for (int c = 0; c < n; c++) {
            seen.add(Collections.synchronizedList(new ArrayList<>()));
            running[c] = new AtomicInteger();
        }
        CountDownLatch done = new CountDownLatch(n * perConnection);
        int[] next = new int[n]; // the next value each connection gets (the loop's thread)
        IntFunction<Runnable> submitUpTo = last -> () -> {
            for (int c = 0; c < n; c++) {
                // Some connections skip an iteration and get two tasks in the next one:
                // batches of varying sizes, a connection's turn running across them.
                if (last < perConnection - 1 && (last + c) % 3 == 0) {
                    continue;
                }
                int connection = c;
                for (; next[c] <= last; next[c]++) {
                    int value = next[c];
                    serials.get(c).execute(() -> {
                        if (running[connection].incrementAndGet() != 1) {
                            overlaps.incrementAndGet();
                        }
                        seen.get(connection).add(value);
                        running[connection].decrementAndGet();
                        done.countDown();
                    });
                }
            }
        };

        for (int i = 0; i < perConnection; i++) {
            onLoop(submitUpTo.apply(i));
        }

        await(done);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < perConnection; i++) {
            expected.add(i);
        }
        for (int c = 0; c < n; c++) {
            assertThat(seen.get(c)).as("connection " + c).containsExactlyElementsOf(expected);
        }
        assertThat(overlaps.get()).isZero();
    }

    @Test
    void aTurnBlockedInUserCodeDoesNotStallTheOtherConnectionsOfItsBatch() {
        for (int blocked : new int[] {0, 5, 9}) {
            int n = 10;
            List<SerialExecutor> serials = serials(n);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch othersRan = new CountDownLatch(n - 1);
            List<String> blockedConnection = Collections.synchronizedList(new ArrayList<>());
            CountDownLatch blockedDone = new CountDownLatch(1);
            CountDownLatch blockStarted = new CountDownLatch(1);

            onLoop(() -> {
                for (int c = 0; c < n; c++) {
                    if (c == blocked) {
                        serials.get(c).execute(() -> {
                            blockedConnection.add("blocks");
                            blockStarted.countDown();
                            await(release); // a plain latch: user code blocking, no jpb future
                            blockedConnection.add("released");
                        });
                        serials.get(c).execute(() -> {
                            blockedConnection.add("next");
                            blockedDone.countDown();
                        });
                    } else {
                        serials.get(c).execute(othersRan::countDown);
                    }
                }
            });

            await(othersRan); // while connection 'blocked' still blocks a pool thread
            await(blockStarted); // the last of a batch may start after the others finished
            assertThat(blockedConnection).as("blocked at " + blocked).containsExactly("blocks");
            release.countDown();
            await(blockedDone);
            assertThat(blockedConnection).containsExactly("blocks", "released", "next");
        }
    }

    @Test
    void whenTheExecutorRefusesABatchEveryQueuedTaskGoesToItsConnectionsHandlerInOrder() {
        int n = 5;
        List<List<String>> refusedTasks = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            refusedTasks.add(Collections.synchronizedList(new ArrayList<>()));
        }
        Executor refusing = task -> {
            throw new RejectedExecutionException("saturated");
        };
        CountDownLatch allRefused = new CountDownLatch(n * 3);
        List<SerialExecutor> serials = serials(n, refusing, c -> (task, e) -> {
            refusedTasks.get(c).add(task.toString());
            allRefused.countDown();
        });

        onLoop(() -> {
            for (int c = 0; c < n; c++) {
                for (int k = 0; k < 3; k++) {
                    String name = "task " + c + "." + k;
                    serials.get(c).execute(new Runnable() {
                        @Override
                        public void run() {
                            throw new AssertionError(name + " ran on a refusing executor");
                        }

                        @Override
                        public String toString() {
                            return name;
                        }
                    });
                }
            }
        });
        await(allRefused); // after the iteration, when its batch went to the executor

        for (int c = 0; c < n; c++) {
            assertThat(refusedTasks.get(c)).containsExactly(
                    "task " + c + ".0", "task " + c + ".1", "task " + c + ".2");
        }
        // The executors take work again once the executor does: nothing left scheduled.
        for (SerialExecutor s : serials) {
            assertThat(s.isIdle()).isTrue();
        }
    }
}
