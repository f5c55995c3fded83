package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jpb.cache.StepBarrier;
import dev.jpb.cache.StepTimeoutException;
import dev.jpb.cache.StepView;
import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Program steps: the server moves every observing client through a procedure together. */
@Timeout(60)
class StepBarrierTest {
    public static class Server extends Root {
        final StepBarrier steps = new StepBarrier();

        public StepBarrier remote_steps() {
            return steps;
        }
    }

    /** A client that follows the steps, acknowledging each one unless told not to. */
    private static final class Follower {
        final StepView view;
        final List<String> seen = new CopyOnWriteArrayList<>();
        final AtomicBoolean acknowledges = new AtomicBoolean(true);

        Follower(Loopback net, String name) throws Exception {
            PbClient client = net.client();
            view = get(get(client.getRootObject()).callRemote("steps"));
            get(view.join(name));
            view.addChangeListener((copy, update, version) -> {
                seen.add(view.step() + ":" + view.label());
                if (acknowledges.get()) {
                    view.acknowledge();
                }
            });
        }
    }

    @Test
    void everyClientSeesEachStepInOrderAndTheServerWaitsForAll() throws Exception {
        Server server = new Server();
        try (Loopback net = new Loopback(server)) {
            List<Follower> clients = List.of(new Follower(net, "alice"),
                    new Follower(net, "bob"), new Follower(net, "carol"));
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.steps.participants().size() == 3);
            for (String label : List.of("weigh", "mix", "heat")) {
                int step = get(server.steps.advance(label, Duration.ofSeconds(10)));
                assertThat(step).isEqualTo(server.steps.step());
            }
            for (Follower f : clients) {
                assertThat(f.seen).containsExactly("1:weigh", "2:mix", "3:heat");
                assertThat(f.view.version()).isEqualTo(3);
            }
        }
    }

    @Test
    void aClientThatNeverAcknowledgesIsNamedWhenTheStepTimesOut() throws Exception {
        Server server = new Server();
        try (Loopback net = new Loopback(server)) {
            // Kept reachable to the end: a copy collected stops observing, and leaves.
            List<Follower> others = List.of(new Follower(net, "alice"), new Follower(net, "bob"));
            Follower carol = new Follower(net, "carol");
            carol.acknowledges.set(false);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.steps.participants().size() == 3);
            Throwable thrown = catchThrowable(
                    () -> get(server.steps.advance("mix", Duration.ofMillis(500))));
            assertThat(thrown).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(StepTimeoutException.class)
                    .hasMessageContaining("carol").hasMessageNotContaining("alice");
            StepTimeoutException timeout = (StepTimeoutException) thrown.getCause();
            assertThat(timeout.step()).isEqualTo(1);
            assertThat(timeout.label()).isEqualTo("mix");
            assertThat(timeout.missing()).hasSize(1).allMatch(n -> n.startsWith("carol"));
            // she still saw the step; a quorum of two goes on without her
            assertThat(carol.seen).containsExactly("1:mix");
            assertThat(get(server.steps.advance("heat", 2, Duration.ofSeconds(10))))
                    .isEqualTo(2);
            assertThat(others).allMatch(f -> f.seen.contains("2:heat"));
        }
    }

    @Test
    void aClientThatLeavesDuringAStepIsNoLongerWaitedFor() throws Exception {
        Server server = new Server();
        try (Loopback net = new Loopback(server)) {
            Follower alice = new Follower(net, "alice"); // reachable: a collected copy leaves
            Follower bob = new Follower(net, "bob");
            bob.acknowledges.set(false);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> server.steps.participants().size() == 2);
            var step = server.steps.advance("one", Duration.ofSeconds(20));
            await().atMost(Duration.ofSeconds(5)).until(() -> bob.seen.size() == 1);
            bob.view.release();
            assertThat(get(step)).isEqualTo(1);
            assertThat(server.steps.participants()).hasSize(1);
            assertThat(alice.seen).containsExactly("1:one");
        }
    }
}
