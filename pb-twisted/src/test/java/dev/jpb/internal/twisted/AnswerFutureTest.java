package dev.jpb.internal.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AnswerFutureTest {
    private final AtomicReference<Thread> completedOn = new AtomicReference<>();
    private final AnswerFuture<Object> future = new AnswerFuture<>((f, message) -> {
        completedOn.set(Thread.currentThread());
        f.complete(message.get(0));
    }, null);

    @Test
    void withNobodyWaitingTheAnswerIsLeftToTheLane() {
        assertThat(future.offer(List.of("x"))).isFalse();
        assertThat(future).isNotDone();
    }

    @Test
    void aBlockedCallerCompletesItsOwnAnswer() throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread caller = new Thread(() -> got.complete(future.join()), "caller");
        caller.start();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> caller.getState() == Thread.State.WAITING);
        assertThat(future.offer(List.of("answer"))).isTrue();
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(completedOn.get()).isSameAs(caller);
    }

    @Test
    void aTimedGetGivesUpAndTheNextAnswerGoesToTheLane() {
        assertThatThrownBy(() -> future.get(50, TimeUnit.MILLISECONDS))
                .isInstanceOf(TimeoutException.class);
        assertThat(future.offer(List.of("late"))).isFalse();
    }

    @Test
    void completionFromElsewhereWakesTheWaiter() throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                got.complete(future.get());
            } catch (Exception e) {
                got.completeExceptionally(e);
            }
        });
        caller.start();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> caller.getState() == Thread.State.WAITING);
        future.complete("lane");
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("lane");
    }
    @Test
    void aSecondWaiterGetsTheAnswerTheFirstCompletedAndItIsDecodedOnce() throws Exception {
        AtomicInteger decoded = new AtomicInteger();
        AnswerFuture<Object> shared = new AnswerFuture<>((f, message) -> {
            decoded.incrementAndGet();
            f.complete(message.get(0));
        }, null);
        CompletableFuture<Object> first = new CompletableFuture<>();
        CompletableFuture<Object> second = new CompletableFuture<>();
        Thread a = new Thread(() -> first.complete(shared.join()), "first");
        a.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> a.getState() == Thread.State.WAITING);
        Thread b = new Thread(() -> second.complete(shared.join()), "second");
        b.start();
        await().atMost(10, TimeUnit.SECONDS).until(() -> b.getState() == Thread.State.WAITING);
        assertThat(shared.offer(List.of("answer"))).isTrue();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(decoded).hasValue(1);
    }

    @Test
    void anInterruptedWaiterGivesUpTheHandOffAndTheAnswerGoesToTheLane() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                future.get();
                thrown.complete(null);
            } catch (Exception e) {
                thrown.complete(e);
            }
        }, "caller");
        caller.start();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> caller.getState() == Thread.State.WAITING);
        caller.interrupt();
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(future.offer(List.of("late"))).isFalse();
        assertThat(future).isNotDone();
    }

    @Test
    void aWaiterArrivingAfterTheAnswerWentToTheLaneWaitsForTheLane() throws Exception {
        assertThat(future.offer(List.of("x"))).isFalse();
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread caller = new Thread(() -> got.complete(future.join()), "caller");
        caller.start();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> caller.getState() == Thread.State.WAITING);
        future.complete("from the lane");
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("from the lane");
        assertThat(completedOn.get()).isNull();
    }

    @Test
    void aTimedGetThatIsHandedTheAnswerReturnsIt() throws Exception {
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                got.complete(future.get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                got.completeExceptionally(e);
            }
        }, "caller");
        caller.start();
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> caller.getState() == Thread.State.TIMED_WAITING);
        assertThat(future.offer(List.of("answer"))).isTrue();
        assertThat(got.get(10, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThat(completedOn.get()).isSameAs(caller);
    }
}
