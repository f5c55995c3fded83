package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.server.PbServer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * JavaFX starts on a thread of its own while the thin client connects: held back here by a
 * starter that waits for the test, so what happens before the toolkit runs can be seen.
 */
@Timeout(60)
class FxStartupTest {
    @BeforeAll
    static void fx() throws Exception {
        ThinTestSupport.startFx(); // the real (Monocle) toolkit; the held starter finds it
    }

    /** A startup whose toolkit start waits for {@code release}. */
    private static FxStartup held(CountDownLatch release) {
        return new FxStartup(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            FxStartup.startToolkit();
        });
    }

    @Test
    void tasksGivenBeforeTheToolkitRunsWaitAndThenRunOnItInOrder() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        FxStartup startup = held(release);
        startup.start();
        List<String> ran = new CopyOnWriteArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String name = "task " + i;
            startup.executor().execute(() -> ran.add(name + " on FX: "
                    + Platform.isFxApplicationThread()));
        }
        assertThat(startup.isReady()).isFalse();
        assertThat(ran).as("nothing runs before the toolkit is up").isEmpty();

        release.countDown();
        startup.awaitStarted();
        startup.executor().execute(() -> ran.add("task 4 on FX: "
                + Platform.isFxApplicationThread()));
        await().atMost(WAIT).until(() -> ran.size() == 4);
        assertThat(ran).containsExactly("task 1 on FX: true", "task 2 on FX: true",
                "task 3 on FX: true", "task 4 on FX: true");
        assertThat(startup.isReady()).isTrue();
    }

    @Test
    void aThinClientConnectsWhileJavaFxIsStillStartingAndAttachesOnceItRuns() throws Exception {
        ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
        try (PbServer server = ThinTestSupport.server(root)) {
            CountDownLatch release = new CountDownLatch(1);
            FxStartup startup = held(release);
            CompletableFuture<ThinClient> connecting = CompletableFuture.supplyAsync(
                    () -> ThinClient.builder().fxStartup(startup)
                            .connect("127.0.0.1", server.port()));
            // the connection (handshake and all) is made while JavaFX has not started
            await().atMost(WAIT).until(() -> server.connections().size() == 1);
            assertThat(startup.isReady()).isFalse();
            assertThat(connecting).as("connect returns once JavaFX runs too").isNotDone();

            release.countDown();
            try (ThinClient client = connecting.get(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                root.next(); // the display was handed to the root
                assertThat(client.attached().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .isEqualTo("attached");
                assertThat(startup.isReady()).isTrue();
            }
        }
    }

    @Test
    void theToolkitStartsFromANonDaemonThreadSoItsThreadsKeepTheJarsJvmAlive()
            throws Exception {
        CompletableFuture<Boolean> daemon = new CompletableFuture<>();
        FxStartup startup = new FxStartup(() -> {
            daemon.complete(Thread.currentThread().isDaemon());
            FxStartup.startToolkit();
        });
        startup.awaitStarted();
        assertThat(daemon.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("threads inherit the daemon flag of the thread that starts them").isFalse();
    }
}
