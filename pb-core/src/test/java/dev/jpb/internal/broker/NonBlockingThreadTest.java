package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.BlockingCallException;
import dev.jpb.NonBlockingThread;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NonBlockingThreadTest {
    private final ExecutorService marked = Executors.newSingleThreadExecutor(
            r -> new Thread(r, "ui-thread"));

    @AfterEach
    void stop() {
        marked.shutdownNow();
    }

    private Object onMarkedThread(java.util.concurrent.Callable<?> call) throws Exception {
        return marked.submit(() -> {
            NonBlockingThread.markCurrent("compose with thenAccept instead");
            try {
                return call.call();
            } catch (Throwable t) {
                return t;
            } finally {
                NonBlockingThread.unmarkCurrent();
            }
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void blockingOnAMarkedThreadThrowsWithTheAdviceInsteadOfWaiting() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        CompletableFuture<String> derived = f.thenApply(x -> x);

        assertThat(onMarkedThread(f::get)).isInstanceOfSatisfying(BlockingCallException.class,
                e -> assertThat(e).hasMessage("blocking on a jpb call on ui-thread is refused:"
                        + " waiting here would freeze this thread until the answer comes;"
                        + " compose with thenAccept instead"));
        assertThat(onMarkedThread(f::join)).isInstanceOf(BlockingCallException.class);
        assertThat(onMarkedThread(() -> f.get(5, TimeUnit.SECONDS)))
                .isInstanceOf(BlockingCallException.class);
        assertThat(onMarkedThread(derived::join)).isInstanceOf(BlockingCallException.class);
        // a poll never waits, so it is allowed
        assertThat(onMarkedThread(() -> derived.getNow("not yet"))).isEqualTo("not yet");

        f.deliver("answer", null, Runnable::run);
        // done futures answer on a marked thread too
        assertThat(onMarkedThread(f::get)).isEqualTo("answer");
        assertThat(onMarkedThread(derived::join)).isEqualTo("answer");
    }

    @Test
    void unmarkedThreadsStillWaitForTheAnswer() throws Exception {
        PbFuture<String> f = PbFuture.forCall();
        CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(f::join);
        assertThat(NonBlockingThread.isCurrentMarked()).isFalse();
        NonBlockingThread.markCurrent("x");
        assertThat(NonBlockingThread.isCurrentMarked()).isTrue();
        NonBlockingThread.unmarkCurrent();
        assertThat(NonBlockingThread.isCurrentMarked()).isFalse();

        f.deliver("answer", null, Runnable::run);
        assertThat(waiter.get(5, TimeUnit.SECONDS)).isEqualTo("answer");
        assertThatThrownBy(() -> NonBlockingThread.markCurrent(null))
                .isInstanceOf(NullPointerException.class);
    }
}
