package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jpb.Avatar;
import dev.jpb.CallContext;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.cache.StepBarrier;
import dev.jpb.cache.StepTimeoutException;
import dev.jpb.cache.StepView;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link StepBarrier#byUser()} over real sockets with login: a step waits for users, not
 * connections, so a station that drops at step 2 is waited for by name and, once it has
 * reconnected and logged in again, acknowledges as the same user.
 */
@Timeout(60)
class StepBarrierByUserTest {
    private static final char[] PASSWORD = "step-secret".toCharArray();
    private static final Duration WAIT = Duration.ofSeconds(15);

    /** A logged-in user: fetches the barrier, or joins it without a copy. */
    public static final class User extends Avatar {
        private final StepBarrier steps;
        private final String name;

        User(StepBarrier steps, String name) {
            this.steps = steps;
            this.name = name;
        }

        /** Returns the barrier (a copy: this user's station). */
        public StepBarrier perspective_steps() {
            return steps;
        }

        /** Joins the barrier on this connection without holding its copy. */
        public void perspective_join() {
            steps.join(name, CallContext.current().connection());
        }
    }

    private final StepBarrier steps = StepBarrier.byUser();
    private final AtomicInteger changes = new AtomicInteger();
    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private PbServer server;

    @BeforeEach
    void start() {
        steps.onChange(changes::incrementAndGet);
        server = PbServer.builder().root(new Root())
                .realm((id, mind, connection) -> new User(steps, id))
                .passwords(Passwords.create().add("alice", PASSWORD).add("bob", PASSWORD)
                        .add("carol", PASSWORD))
                .bind("127.0.0.1", 0).build().start();
    }

    @AfterEach
    void closeAll() {
        clients.forEach(PbClient::close);
        server.close();
    }

    /** One station: a client that logged in as {@code user} and holds the barrier's copy. */
    private record Station(PbClient client, RemoteReference perspective, StepView view) {
    }

    private Station station(String user) throws Exception {
        PbClient c = PbClient.connect("127.0.0.1", server.port());
        clients.add(c);
        RemoteReference p = get(c.login(user, PASSWORD, null));
        StepView view = get(p.callRemote("steps"));
        return new Station(c, p, view);
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private List<String> roster() {
        return steps.stations().stream().map(s -> s.user() + "/" + (s.connected() ? "up"
                : "down") + "/" + (s.acknowledged() ? "acked" : "not")).toList();
    }

    @Test
    void aStationThatDropsAtStep2IsWaitedForByNameAndAcknowledgesWhenItComesBack()
            throws Exception {
        Station alice = station("alice");
        Station bob = station("bob");
        Station carol = station("carol");
        await().atMost(WAIT).until(() -> steps.stations().size() == 3);
        assertThat(roster()).containsExactly("alice/up/not", "bob/up/not", "carol/up/not");

        CompletableFuture<Integer> one = steps.advance("weigh", WAIT);
        for (Station s : List.of(alice, bob, carol)) {
            await().atMost(WAIT).until(() -> s.view().step() == 1);
            get(s.view().acknowledge());
        }
        assertThat(get(one)).isEqualTo(1);

        // step 2: carol's connection drops before she acknowledges; the step waits for her
        CompletableFuture<Integer> two = steps.advance("mix", Duration.ofSeconds(40));
        await().atMost(WAIT).until(() -> carol.view().step() == 2);
        carol.client().close();
        await().atMost(WAIT).until(() -> roster().contains("carol/down/not"));
        get(alice.view().acknowledge());
        get(bob.view().acknowledge());
        await().atMost(WAIT).until(() -> steps.missing().equals(List.of("carol")));
        assertThat(two).as("a dropped station is still waited for").isNotDone();
        assertThat(roster()).containsExactly("alice/up/acked", "bob/up/acked",
                "carol/down/not");

        // she comes back: a new connection, a new login; her copy is at step 2 at once
        Station back = station("carol");
        assertThat(back.view().step()).isEqualTo(2);
        assertThat(back.view().label()).isEqualTo("mix");
        await().atMost(WAIT).until(() -> roster().contains("carol/up/not"));
        assertThat(steps.stations()).hasSize(3);
        get(back.view().acknowledge());
        assertThat(get(two)).isEqualTo(2);
        assertThat(steps.missing()).isEmpty();

        // step 3 waits for the three users again, carol on her new connection
        CompletableFuture<Integer> three = steps.advance("heat", WAIT);
        for (Station s : List.of(alice, bob, back)) {
            await().atMost(WAIT).until(() -> s.view().step() == 3);
            get(s.view().acknowledge());
        }
        assertThat(get(three)).isEqualTo(3);
        assertThat(changes.get()).as("onChange heard of the steps and the stations")
                .isGreaterThan(10);
    }

    @Test
    void theTimeoutNamesTheMissingStationAndSaysItIsDisconnected() throws Exception {
        Station alice = station("alice");
        Station bob = station("bob");
        await().atMost(WAIT).until(() -> steps.stations().size() == 2);
        CompletableFuture<Integer> step = steps.advance("calibrate", Duration.ofMillis(800));
        await().atMost(WAIT).until(() -> bob.view().step() == 1);
        bob.client().close();
        await().atMost(WAIT).until(() -> roster().contains("bob/down/not"));
        get(alice.view().acknowledge());

        Throwable thrown = catchThrowable(() -> step.get(10, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(StepTimeoutException.class)
                .hasMessageContaining("missing: bob (disconnected)")
                .hasMessageNotContaining("alice");
        assertThat(((StepTimeoutException) thrown.getCause()).missing()).containsExactly("bob");
        // the timeout reports; the step still waits for bob, who may acknowledge late
        assertThat(steps.missing()).containsExactly("bob");
        assertThat(steps.acknowledge("bob", 0)).as("not the current step").isFalse();
        assertThat(steps.acknowledge("nobody", 1)).as("not a station").isFalse();
        assertThat(steps.acknowledge("bob", 1)).isTrue();
        assertThat(steps.acknowledge("bob", 1)).as("once").isFalse();
        assertThat(steps.missing()).isEmpty();
    }

    @Test
    void aStationJoinedWithoutACopyIsConnectedWhileItsConnectionIsOpen() throws Exception {
        PbClient c = PbClient.connect("127.0.0.1", server.port());
        clients.add(c);
        RemoteReference alice = get(c.login("alice", PASSWORD, null));
        get(alice.callRemote("join"));
        assertThat(roster()).containsExactly("alice/up/not");
        CompletableFuture<Integer> step = steps.advance("prepare", WAIT);
        c.close();
        await().atMost(WAIT).until(() -> roster().equals(List.of("alice/down/not")));
        assertThat(steps.missing()).containsExactly("alice");
        assertThat(steps.acknowledge("alice", 1)).isTrue();
        assertThat(get(step)).isEqualTo(1);
    }

    @Test
    void aDisconnectedStationRemovedFromTheRosterIsNoLongerWaitedForAndComesBackAsANewOne()
            throws Exception {
        Station alice = station("alice");
        Station bob = station("bob");
        await().atMost(WAIT).until(() -> steps.stations().size() == 2);
        CompletableFuture<Integer> step = steps.advance("calibrate", Duration.ofSeconds(40));
        await().atMost(WAIT).until(() -> bob.view().step() == 1);
        get(alice.view().acknowledge());
        await().atMost(WAIT).until(() -> steps.missing().equals(List.of("bob")));

        assertThatThrownBy(() -> steps.removeStation("bob"))
                .as("a connected station stays: it can still acknowledge")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bob is connected")
                .hasMessageContaining("close its connection first");
        assertThat(steps.stations()).hasSize(2);
        assertThat(step).isNotDone();

        bob.client().close();
        await().atMost(WAIT).until(() -> roster().contains("bob/down/not"));
        int before = changes.get();
        assertThat(steps.removeStation("bob")).isTrue();
        assertThat(get(step)).as("the step waited only for bob").isEqualTo(1);
        assertThat(roster()).containsExactly("alice/up/acked");
        assertThat(steps.missing()).isEmpty();
        assertThat(changes.get()).as("onChange heard of it").isGreaterThan(before);
        assertThat(steps.removeStation("bob")).as("not on the roster any more").isFalse();

        // the next step waits for alice alone; bob, back after all, is a station again
        CompletableFuture<Integer> next = steps.advance("acquire", Duration.ofSeconds(40));
        Station back = station("bob");
        assertThat(back.view().step()).isEqualTo(2);
        await().atMost(WAIT).until(() -> roster().equals(List.of("alice/up/not",
                "bob/up/not")));
        get(alice.view().acknowledge());
        await().atMost(WAIT).until(() -> steps.missing().equals(List.of("bob")));
        assertThat(next).as("a station that came back is waited for again").isNotDone();
        get(back.view().acknowledge());
        assertThat(get(next)).isEqualTo(2);
    }

    @Test
    void removingAStationThatTimedOutEndsTheWaitItsTimeoutReported() throws Exception {
        Station alice = station("alice");
        Station bob = station("bob");
        await().atMost(WAIT).until(() -> steps.stations().size() == 2);
        CompletableFuture<Integer> step = steps.advance("calibrate", Duration.ofMillis(500));
        await().atMost(WAIT).until(() -> bob.view().step() == 1);
        bob.client().close();
        get(alice.view().acknowledge());
        Throwable thrown = catchThrowable(() -> step.get(10, TimeUnit.SECONDS));
        assertThat(thrown).cause().isInstanceOf(StepTimeoutException.class);
        await().atMost(WAIT).until(() -> roster().contains("bob/down/not"));
        assertThat(steps.missing()).as("after its timeout the step still waits")
                .containsExactly("bob");

        assertThat(steps.removeStation("bob")).isTrue();
        assertThat(steps.missing()).isEmpty();
        assertThat(roster()).containsExactly("alice/up/acked");
    }

    @Test
    void aBarrierThatCountsConnectionsRefusesAcknowledgementsByUser() {
        StepBarrier byConnection = new StepBarrier();
        assertThat(byConnection.isByUser()).isFalse();
        assertThatThrownBy(() -> byConnection.acknowledge("alice", 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("byUser()");
        assertThatThrownBy(() -> byConnection.removeStation("alice"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("byUser()");
    }
}
