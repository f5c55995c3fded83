package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SerialExecutorTest {
    /** For executors that never refuse: a refusal fails the test. */
    static final java.util.function.BiConsumer<Runnable, RejectedExecutionException>
            REFUSALS_FAIL = (task, e) -> {
                throw new AssertionError("unexpected refusal", e);
            };
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final AtomicInteger delegated = new AtomicInteger();
    private final Executor countingPool = task -> {
        delegated.incrementAndGet();
        pool.execute(task);
    };

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(5, TimeUnit.SECONDS)).as("latch").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void tasksRunOneAtATimeInSubmissionOrderOnAMultiThreadPool() {
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        int n = 2000;
        CountDownLatch done = new CountDownLatch(n);

        for (int i = 0; i < n; i++) {
            int index = i;
            serial.execute(() -> {
                maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                order.add(index);
                running.decrementAndGet();
                done.countDown();
            });
        }
        await(done);

        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(order).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(order.get(i)).isEqualTo(i);
        }
    }

    @Test
    void tasksSubmittedFromManyThreadsAllRunOneAtATime() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        ExecutorService submitters = Executors.newFixedThreadPool(4);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        int n = 4000;
        CountDownLatch done = new CountDownLatch(n);
        try {
            for (int s = 0; s < 4; s++) {
                submitters.execute(() -> {
                    for (int i = 0; i < n / 4; i++) {
                        serial.execute(() -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            running.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            await(done);
        } finally {
            submitters.shutdownNow();
        }

        assertThat(maxRunning.get()).isEqualTo(1);
    }

    @Test
    void aTaskBlockedOnAPbFutureLetsTheNextTaskStart() {
        SerialExecutor serial = new SerialExecutor(countingPool, REFUSALS_FAIL);
        PbFuture<String> answer = new PbFuture<>();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch secondRan = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);

        serial.execute(() -> {
            events.add("first waits");
            events.add("first got " + answer.join());
            firstDone.countDown();
        });
        serial.execute(() -> {
            events.add("second");
            secondRan.countDown();
        });

        await(secondRan); // while the first still waits
        assertThat(events).containsExactly("first waits", "second");
        assertThat(firstDone.getCount()).isEqualTo(1);

        answer.complete("it");
        await(firstDone);
        assertThat(events).containsExactly("first waits", "second", "first got it");
    }

    @Test
    void getAndTimedGetAndDerivedFuturesAlsoGiveUpTheTurn() throws Exception {
        for (int variant = 0; variant < 3; variant++) {
            SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
            PbFuture<String> answer = new PbFuture<>();
            CountDownLatch secondRan = new CountDownLatch(1);
            CompletableFuture<String> firstResult = new CompletableFuture<>();
            int v = variant;

            serial.execute(() -> {
                try {
                    String s = switch (v) {
                        case 0 -> answer.get();
                        case 1 -> answer.get(5, TimeUnit.SECONDS);
                        default -> answer.thenApply(String::toUpperCase).join();
                    };
                    firstResult.complete(s);
                } catch (Exception e) {
                    firstResult.completeExceptionally(e);
                }
            });
            serial.execute(secondRan::countDown);

            await(secondRan);
            answer.complete("x");
            assertThat(firstResult.get(5, TimeUnit.SECONDS))
                    .as("variant %s", v).isEqualToIgnoringCase("x");
        }
    }

    @Test
    void afterGivingUpItsTurnATaskDoesNotRunLaterTasks() {
        CountDownLatch firstDrainEnded = new CountDownLatch(1);
        AtomicInteger drains = new AtomicInteger();
        SerialExecutor serial = new SerialExecutor(task -> pool.execute(() -> {
            boolean first = drains.incrementAndGet() == 1;
            task.run();
            if (first) {
                firstDrainEnded.countDown();
            }
        }), REFUSALS_FAIL);
        PbFuture<String> answer = new PbFuture<>();
        List<String> threadsOfLaterTasks = Collections.synchronizedList(new ArrayList<>());
        String[] firstThread = new String[1];
        CountDownLatch thirdDone = new CountDownLatch(1);

        serial.execute(() -> {
            firstThread[0] = Thread.currentThread().getName();
            answer.join();
        });
        serial.execute(() -> {
            threadsOfLaterTasks.add(Thread.currentThread().getName());
            answer.complete("go");
            // hold the new turn until the first task's thread has left its drain: had it kept
            // draining, it would have taken the third task by now
            await(firstDrainEnded);
        });
        serial.execute(() -> {
            threadsOfLaterTasks.add(Thread.currentThread().getName());
            thirdDone.countDown();
        });

        await(thirdDone);
        assertThat(threadsOfLaterTasks).hasSize(2).doesNotContain(firstThread[0]);
    }

    @Test
    void blockingOnACompletedPbFutureKeepsTheTurn() {
        SerialExecutor serial = new SerialExecutor(countingPool, REFUSALS_FAIL);
        PbFuture<String> done = new PbFuture<>();
        done.complete("ready");
        CountDownLatch finished = new CountDownLatch(2);
        CountDownLatch bothQueued = new CountDownLatch(1);

        serial.execute(() -> {
            await(bothQueued);
            done.join();
            finished.countDown();
        });
        serial.execute(finished::countDown);
        bothQueued.countDown();
        await(finished);

        // one turn for both tasks: giving up the turn would have started a second drain
        assertThat(delegated.get()).isEqualTo(1);
    }

    @Test
    void blockingOnAPlainFutureKeepsTheTurn() throws Exception {
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        CompletableFuture<String> plain = new CompletableFuture<>();
        CountDownLatch firstWaiting = new CountDownLatch(1);
        CountDownLatch secondRan = new CountDownLatch(1);

        serial.execute(() -> {
            firstWaiting.countDown();
            plain.join();
        });
        serial.execute(secondRan::countDown);
        await(firstWaiting);

        assertThat(secondRan.await(100, TimeUnit.MILLISECONDS)).isFalse();
        plain.complete("x");
        await(secondRan);
    }

    @Test
    void aFailingTaskDoesNotStopLaterTasks() {
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);

        serial.execute(() -> events.add("before"));
        serial.execute(() -> {
            throw new IllegalStateException("task failure (expected by the test)");
        });
        serial.execute(() -> {
            throw new AssertionError("error (expected by the test)");
        });
        serial.execute(() -> {
            events.add("after");
            done.countDown();
        });

        await(done);
        assertThat(events).containsExactly("before", "after");
    }

    @Test
    void aDirectExecutorRunsTasksInlineAndInOrder() {
        SerialExecutor serial = new SerialExecutor(Runnable::run, REFUSALS_FAIL);
        List<String> events = new ArrayList<>();

        serial.execute(() -> {
            events.add("outer start");
            serial.execute(() -> events.add("nested"));
            events.add("outer end");
        });

        assertThat(events).containsExactly("outer start", "outer end", "nested");
    }

    @Test
    void anExecutorThatRefusesWorkHandsEveryQueuedTaskToTheRefusalHandlerInOrder() {
        List<Runnable> refused = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(task -> {
            throw new RejectedExecutionException("shutting down");
        }, (task, e) -> refused.add(task));
        AtomicInteger ran = new AtomicInteger();
        Runnable first = ran::incrementAndGet;
        Runnable second = ran::incrementAndGet;

        serial.execute(first);
        serial.execute(second);

        assertThat(ran.get()).as("not run on the caller instead").isZero();
        assertThat(refused).containsExactly(first, second);
    }

    @Test
    void afterARefusalTheNextTaskIsOfferedToTheExecutorAgain() {
        AtomicInteger refusals = new AtomicInteger(1);
        List<Runnable> refused = new ArrayList<>();
        SerialExecutor serial = new SerialExecutor(task -> {
            if (refusals.getAndDecrement() > 0) {
                throw new RejectedExecutionException("busy");
            }
            task.run();
        }, (task, e) -> refused.add(task));
        List<Integer> ran = new ArrayList<>();

        serial.execute(() -> ran.add(1));
        serial.execute(() -> ran.add(2));

        assertThat(refused).hasSize(1);
        assertThat(ran).containsExactly(2);
    }

    @Test
    void aTaskSubmittedJustAsTheTurnEndsStillRuns() {
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        for (int i = 0; i < 5000; i++) {
            CountDownLatch ran = new CountDownLatch(1);
            serial.execute(ran::countDown);
            await(ran);
        }
    }

    @Test
    void tasksFromManyThreadsKeepEachThreadsOrderAcrossManyChunksOfTheQueue() throws Exception {
        // far more tasks than one chunk of the queue holds, from 4 threads at once
        SerialExecutor serial = new SerialExecutor(pool, REFUSALS_FAIL);
        int producers = 4;
        int n = 20_000;
        int[] last = new int[producers]; // touched only by the serial tasks, one at a time
        java.util.Arrays.fill(last, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(producers * n);
        ExecutorService submitters = Executors.newFixedThreadPool(producers);
        try {
            for (int p = 0; p < producers; p++) {
                int producer = p;
                submitters.execute(() -> {
                    for (int i = 0; i < n; i++) {
                        int seq = i;
                        serial.execute(() -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            if (last[producer] + 1 != seq) {
                                outOfOrder.incrementAndGet();
                            }
                            last[producer] = seq;
                            running.decrementAndGet();
                            done.countDown();
                        });
                    }
                });
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).as("all tasks ran").isTrue();
        } finally {
            submitters.shutdownNow();
        }

        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(outOfOrder.get()).isZero();
        assertThat(last).containsOnly(n - 1);
        // the turn ends once the last task has run and found the queue empty
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(serial::isIdle);
        assertThat(serial.hasQueued()).isFalse();
    }

    @Test
    void aTurnIsGivenUpAgainInALaterDrainAfterAnEarlierOneWasGivenUp() {
        // Turns are reused from drain to drain until one is given up: each later drain must
        // still be able to give up its own.
        SerialExecutor serial = new SerialExecutor(countingPool, REFUSALS_FAIL);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        for (int round = 0; round < 3; round++) {
            CountDownLatch idle = new CountDownLatch(1);
            serial.execute(() -> events.add("plain"));
            serial.execute(idle::countDown);
            await(idle);
            // the turn ends with the queue empty: the next drain reuses it
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(serial::isIdle);
            PbFuture<String> answer = new PbFuture<>();
            CountDownLatch secondRan = new CountDownLatch(1);
            CountDownLatch firstDone = new CountDownLatch(1);
            int r = round;
            serial.execute(() -> {
                events.add("waits " + r);
                events.add("got " + answer.join());
                firstDone.countDown();
            });
            serial.execute(() -> {
                events.add("second " + r);
                secondRan.countDown();
            });
            await(secondRan); // ran while the first still waited: that turn was given up
            answer.complete("it " + r);
            await(firstDone);
        }

        assertThat(events).containsExactly("plain", "waits 0", "second 0", "got it 0",
                "plain", "waits 1", "second 1", "got it 1",
                "plain", "waits 2", "second 2", "got it 2");
    }
}
