package dev.jpb.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.RemoteReference;
import dev.jpb.cache.CachedMap;
import dev.jpb.client.PbClient;
import dev.jpb.examples.lab.data.LabUsers;
import dev.jpb.examples.lab.data.Role;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The procedure synchronised across stations: a lab server over TLS on an H2 file and three
 * simulated stations (jpb clients that log in and hold the procedure's observed copy), one of
 * which disconnects at step 2 and comes back. The pushed UI showing the same is in LabUiTest.
 */
@Timeout(60)
class LabProcedureTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final char[] PASSWORD = "procedure-secret".toCharArray();

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    /** One simulated station: its connection, its perspective and its copy of the procedure. */
    private record Station(PbClient client, RemoteReference perspective,
            CachedMap<String, Object> run) {
        Map<?, ?> state() {
            return (Map<?, ?>) run.get(LabProcedure.KEY);
        }

        int current() {
            return (Integer) state().get("current");
        }

        @SuppressWarnings("unchecked")
        List<Object> missing() {
            return (List<Object>) state().get("missing");
        }

        /** The stations as this copy lists them: {@code name/connected/acknowledged}. */
        List<String> stations() {
            List<String> out = new ArrayList<>();
            for (Object o : (List<?>) state().get("stations")) {
                Map<?, ?> st = (Map<?, ?>) o;
                out.add(st.get("name") + "/" + (Boolean.TRUE.equals(st.get("connected"))
                        ? "up" : "down") + "/" + (Boolean.TRUE.equals(st.get("acknowledged"))
                        ? "acked" : "not"));
            }
            return out;
        }
    }

    private Station station(LabServer lab, String user) throws Exception {
        PbClient client = PbClient.builder()
                .register(LabServer.WIRE_TYPES.toArray(new Class<?>[0]))
                .pinServer(lab.fingerprint())
                .connect("127.0.0.1", lab.port());
        open.add(client);
        RemoteReference p = client.login(user, PASSWORD, null).get(10, TimeUnit.SECONDS);
        CachedMap<String, Object> run = call(p, "procedure");
        return new Station(client, p, run);
    }

    @SuppressWarnings("unchecked")
    private static <T> T call(RemoteReference ref, String method, Object... args)
            throws Exception {
        try {
            return (T) ref.callRemote(method, args).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (Exception) e.getCause();
        }
    }

    private static void awaitStep(int step, Station... stations) {
        for (Station s : stations) {
            await().atMost(WAIT).until(() -> s.current() == step);
        }
    }

    /** Starts the lab with olga (an operator), vera and sam (viewers). */
    private LabServer startWithThreeUsers() {
        LabServer lab = LabServer.start(LabOptions.parse(new String[] {"--port", "0",
                "--data", dataDir.toString()}, Map.of()));
        open.add(lab);
        LabUsers users = lab.store().users();
        users.add("olga", PASSWORD, Role.OPERATOR);
        users.add("vera", PASSWORD, Role.VIEWER);
        users.add("sam", PASSWORD, Role.VIEWER);
        return lab;
    }

    @Test
    void theProcedureWithThreeClientsOneOfWhichDisconnectsAtStep2AndComesBack()
            throws Exception {
        LabServer lab = startWithThreeUsers();
        Station olga = station(lab, "olga");
        Station vera = station(lab, "vera");
        Station sam = station(lab, "sam");
        await().atMost(WAIT).until(() -> olga.stations().size() == 3);
        assertThat(olga.current()).isZero();
        assertThat(olga.stations()).containsExactly("olga/up/not", "vera/up/not", "sam/up/not");

        // step 1 needs nobody's acknowledgement; step 2 (calibrate) needs everyone's
        assertThat((Integer) call(olga.perspective(), "advance")).isEqualTo(1);
        awaitStep(1, olga, vera, sam);
        assertThat(vera.state().get("needsAck")).isEqualTo(true);
        assertThat(vera.missing()).containsExactly("olga", "vera", "sam");

        // sam's station goes away at step 2; the step waits for it and says so
        sam.client().close();
        await().atMost(WAIT).until(() -> olga.stations().contains("sam/down/not"));
        assertThat((Boolean) call(olga.perspective(), "acknowledge", 1)).isTrue();
        assertThat((Boolean) call(vera.perspective(), "acknowledge", 1)).isTrue();
        assertThat((Boolean) call(vera.perspective(), "acknowledge", 0))
                .as("only the current step is acknowledged").isFalse();
        await().atMost(WAIT).untilAsserted(() -> assertThat(vera.missing())
                .containsExactly("sam"));
        assertThat(vera.stations()).containsExactly("olga/up/acked", "vera/up/acked",
                "sam/down/not");
        assertThat(vera.state().get("ready")).isEqualTo(false);
        assertThatThrownBy(() -> call(olga.perspective(), "advance"))
                .isInstanceOfSatisfying(StepNotReadyError.class, e -> {
                    assertThat(e.missing()).containsExactly("sam");
                    assertThat(e).hasMessageContaining("step 2 (calibrate) still waits for sam");
                });
        assertThat(lab.lab().procedure().current()).isEqualTo(1);

        // sam comes back: a new connection, a new login, and the copy is at step 2 at once
        Station back = station(lab, "sam");
        assertThat(back.current()).isEqualTo(1);
        assertThat(back.missing()).containsExactly("sam");
        await().atMost(WAIT).until(() -> olga.stations().contains("sam/up/not"));
        assertThat((Boolean) call(back.perspective(), "acknowledge", 1)).isTrue();
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(olga.state().get("ready")));
        assertThat(olga.missing()).isEmpty();

        // step 3 (acquire) waits for all three again; then step 4, the last
        assertThat((Integer) call(olga.perspective(), "advance")).isEqualTo(2);
        awaitStep(2, olga, vera, back);
        assertThat(back.stations()).containsExactly("olga/up/not", "vera/up/not",
                "sam/up/not");
        for (Station s : List.of(olga, vera, back)) {
            assertThat((Boolean) call(s.perspective(), "acknowledge", 2)).isTrue();
        }
        await().atMost(WAIT).until(() -> Boolean.TRUE.equals(vera.state().get("ready")));
        assertThat((Integer) call(olga.perspective(), "advance")).isEqualTo(3);
        awaitStep(3, olga, vera, back);
        assertThat(back.state().get("about")).isEqualTo(LabProcedure.ABOUT.get(3));
        assertThatThrownBy(() -> call(olga.perspective(), "advance"))
                .isInstanceOf(StepNotReadyError.class).hasMessageContaining("last step");
        // every copy saw the same changes as the owner, none missed
        long version = lab.lab().procedure().copies().version();
        await().atMost(WAIT).until(() -> olga.run().version() == version
                && vera.run().version() == version && back.run().version() == version);
    }

    @Test
    void anOperatorRemovesAStationThatLostItsConnectionAndOnlyThatOne() throws Exception {
        LabServer lab = startWithThreeUsers();
        Station olga = station(lab, "olga");
        Station vera = station(lab, "vera");
        Station sam = station(lab, "sam");
        await().atMost(WAIT).until(() -> olga.stations().size() == 3);
        call(olga.perspective(), "advance");
        awaitStep(1, olga, vera, sam);
        call(olga.perspective(), "acknowledge", 1);
        call(vera.perspective(), "acknowledge", 1);

        assertThatThrownBy(() -> call(olga.perspective(), "removeStation", "sam"))
                .as("sam is connected: he can still acknowledge")
                .isInstanceOfSatisfying(StationError.class, e -> {
                    assertThat(e.station()).isEqualTo("sam");
                    assertThat(e).hasMessageContaining("station sam is connected");
                });
        assertThatThrownBy(() -> call(olga.perspective(), "removeStation", "nobody"))
                .isInstanceOf(StationError.class)
                .hasMessageContaining("no station nobody")
                .hasMessageContaining("[olga, vera, sam]");

        sam.client().close();
        await().atMost(WAIT).until(() -> olga.stations().contains("sam/down/not"));
        assertThatThrownBy(() -> call(vera.perspective(), "removeStation", "sam"))
                .as("a viewer does not change the roster")
                .isInstanceOf(NotAnOperatorError.class);
        assertThat(vera.missing()).containsExactly("sam");

        call(olga.perspective(), "removeStation", "sam");
        await().atMost(WAIT).until(() -> vera.stations().equals(List.of("olga/up/acked",
                "vera/up/acked")));
        assertThat(vera.missing()).isEmpty();
        assertThat(vera.state().get("ready")).isEqualTo(true);
        assertThat((Integer) call(olga.perspective(), "advance")).isEqualTo(2);
        awaitStep(2, olga, vera);
        assertThat(olga.missing()).containsExactly("olga", "vera");
    }
}
