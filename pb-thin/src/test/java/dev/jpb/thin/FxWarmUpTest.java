package dev.jpb.thin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The jar's warm-up of the controls: on the FX thread, in steps others' tasks run between. */
@Timeout(60)
class FxWarmUpTest {
    @BeforeAll
    static void fxUp() throws Exception {
        ThinTestSupport.startFx();
    }

    @Test
    void theWarmUpRunsOnTheFxThreadInStepsAndATaskGivenMeanwhileWaitsForOneStepAtMost()
            throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        CompletableFuture<Void> queued = new CompletableFuture<>();
        // both queued from the FX thread, so that neither runs before the other is queued
        Platform.runLater(() -> {
            boolean started = FxWarmUp.start(Platform::runLater, () -> {
                order.add("warm-up done");
                done.complete(Platform.isFxApplicationThread());
            });
            // what a connection hands the FX thread while the warm-up runs (the pushed window)
            Platform.runLater(() -> order.add("task"));
            queued.complete(null);
            assertThat(started).isTrue();
        });
        queued.get(20, TimeUnit.SECONDS);
        assertThat(done.get(20, TimeUnit.SECONDS)).as("done on the FX thread").isTrue();
        // queued after the warm-up began, the task ran before its last step: it waited for a
        // step, not for the whole warm-up
        assertThat(order).containsExactly("task", "warm-up done");
    }

    @Test
    void offItQueuesNothing() {
        String was = System.getProperty(FxWarmUp.PROPERTY);
        System.setProperty(FxWarmUp.PROPERTY, "false");
        try {
            List<Runnable> given = new CopyOnWriteArrayList<>();
            assertThat(FxWarmUp.start(given::add, () -> { })).isFalse();
            assertThat(given).isEmpty();
        } finally {
            if (was == null) {
                System.clearProperty(FxWarmUp.PROPERTY);
            } else {
                System.setProperty(FxWarmUp.PROPERTY, was);
            }
        }
    }
}
