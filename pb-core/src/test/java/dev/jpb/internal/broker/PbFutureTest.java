package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PbFutureTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    @Test
    void derivedFuturesArePbFutures() {
        PbFuture<Integer> f = new PbFuture<>();

        assertThat(f.thenApply(x -> x + 1)).isInstanceOf(PbFuture.class);
        assertThat(f.thenApplyAsync(x -> x + 1, pool)).isInstanceOf(PbFuture.class);
        assertThat(f.thenCompose(x -> CompletableFuture.completedFuture(x)))
                .isInstanceOf(PbFuture.class);
        assertThat(f.thenAccept(x -> { })).isInstanceOf(PbFuture.class);
        assertThat(f.thenCombine(f, Integer::sum)).isInstanceOf(PbFuture.class);
        assertThat(f.whenComplete((x, t) -> { })).isInstanceOf(PbFuture.class);
        assertThat(f.handle((x, t) -> x)).isInstanceOf(PbFuture.class);
        assertThat(f.exceptionally(t -> 0)).isInstanceOf(PbFuture.class);
        assertThat(f.copy()).isInstanceOf(PbFuture.class);
        assertThat(f.thenApply(x -> x).thenApply(x -> x)).isInstanceOf(PbFuture.class);
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
}
