package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static dev.jpb.thin.ThinTestSupport.awaitWindow;
import static dev.jpb.thin.ThinTestSupport.fx;
import static dev.jpb.thin.ThinTestSupport.lookup;
import static dev.jpb.thin.ThinTestSupport.screenshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.cache.CacheableList;
import dev.jpb.cache.CacheableMap;
import dev.jpb.server.PbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Controls bound to the server's cacheables follow its state on every client, no code. */
@Timeout(90)
class BindTest {
    private final ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
    private final CacheableList<Map<String, String>> people = new CacheableList<>();
    private final CacheableMap<String, String> board = new CacheableMap<>();
    private PbServer server;
    private ThinClient alice;
    private ThinClient bob;
    private RemoteDisplay aliceDisplay;
    private RemoteDisplay bobDisplay;

    @BeforeAll
    static void fxUp() throws Exception {
        ThinTestSupport.startFx();
    }

    @BeforeEach
    void connect() throws Exception {
        people.add(Map.of("name", "Ada Lovelace", "role", "analyst"));
        people.add(Map.of("name", "Grace Hopper", "role", "admiral"));
        board.put("status", "2 people");
        board.put("r1", "Room 101");
        server = ThinTestSupport.server(root);
        alice = ThinClient.builder().connect("127.0.0.1", server.port());
        aliceDisplay = root.next();
        bob = ThinClient.builder().connect("127.0.0.1", server.port());
        bobDisplay = root.next();
    }

    @AfterEach
    void close() {
        alice.close();
        bob.close();
        server.close();
    }

    private static UiBundle page() {
        return UiBundle.builder().classpath(BindTest.class, "people.fxml")
                .document("people.fxml").build();
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Opens the page on a client and binds its table, label and list; returns the stage. */
    private Stage openBound(RemoteDisplay display, ThinClient client) throws Exception {
        RemoteWindow w = display.window("people");
        get(w.open(WindowSpec.titled("People").size(380, 360), page(), null));
        get(w.bind("people.items", people));
        get(w.bind("status.text", board, "status"));
        get(w.bind("rooms.items", board));
        return awaitWindow(client, "people");
    }

    private static List<Object> rows(Stage stage) throws Exception {
        return fx(() -> new ArrayList<Object>(lookup(stage, "people", TableView.class)
                .getItems()));
    }

    private static List<Object> rooms(Stage stage) throws Exception {
        return fx(() -> new ArrayList<Object>(lookup(stage, "rooms", ListView.class)
                .getItems()));
    }

    private static String status(Stage stage) throws Exception {
        return fx(() -> lookup(stage, "status", Label.class).getText());
    }

    @Test
    void aBoundTableShowsTheListsStateAndItsCellsTheRowsEntries() throws Exception {
        Stage stage = openBound(aliceDisplay, alice);

        assertThat(rows(stage)).containsExactly(
                Map.of("name", "Ada Lovelace", "role", "analyst"),
                Map.of("name", "Grace Hopper", "role", "admiral"));
        assertThat(status(stage)).isEqualTo("2 people");
        assertThat(rooms(stage)).containsExactly("2 people", "Room 101");
        Object cell = fx(() -> {
            TableView<?> t = lookup(stage, "people", TableView.class);
            TableColumn<?, ?> role = t.getColumns().get(1);
            return role.getCellData(1);
        });
        assertThat(cell).isEqualTo("admiral");
        assertThat(people.observerCount()).isEqualTo(1);

        Path shot = screenshot(stage.getScene(), "bound-table");
        assertThat(Files.size(shot)).isGreaterThan(2000);
    }

    @Test
    void theServersAddSetRemoveAndPutAppearOnTwoClientsInOrder() throws Exception {
        Stage a = openBound(aliceDisplay, alice);
        Stage b = openBound(bobDisplay, bob);
        assertThat(people.observerCount()).isEqualTo(2);

        people.add(Map.of("name", "Barbara Liskov", "role", "professor"));
        people.set(0, Map.of("name", "Ada Lovelace", "role", "countess"));
        people.remove(1);
        board.put("status", "3 people");
        board.put("r2", "Room 102");
        board.put("r1", "Room 101 (booked)");
        board.remove("r2");
        board.put("r3", "Room 103");
        for (int i = 0; i < 50; i++) { // many small changes, all applied in order
            people.add(Map.of("name", "n" + i, "role", "r"));
            people.remove(people.size() - 1);
        }

        for (Stage s : List.of(a, b)) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(rows(s)).containsExactly(
                        Map.of("name", "Ada Lovelace", "role", "countess"),
                        Map.of("name", "Barbara Liskov", "role", "professor"));
                assertThat(status(s)).isEqualTo("3 people");
                assertThat(rooms(s)).containsExactly("3 people", "Room 101 (booked)",
                        "Room 103");
            });
        }
        screenshot(b.getScene(), "bound-table-second-client");
        board.remove("status");
        people.clear();
        for (Stage s : List.of(a, b)) {
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(status(s)).isNull(); // the entry is gone
                assertThat(rows(s)).isEmpty();
                assertThat(rooms(s)).containsExactly("Room 101 (booked)", "Room 103");
            });
        }
    }

    @Test
    void replacingTheContentOrClosingTheWindowReleasesTheCopy() throws Exception {
        Stage a = openBound(aliceDisplay, alice);
        openBound(bobDisplay, bob);
        assertThat(people.observerCount()).isEqualTo(2);
        assertThat(board.observerCount()).isEqualTo(2);

        get(aliceDisplay.window("people").replace(page(), null));
        // alice's copies are released: the owner's stoppedObserving ran for her observers
        await().atMost(WAIT).until(() -> people.observerCount() == 1
                && board.observerCount() == 1);
        people.add(Map.of("name", "Edsger Dijkstra", "role", "professor"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(rows(
                bob.window("people").orElseThrow())).hasSize(3));
        assertThat(rows(a)).isEmpty(); // the new content is not bound
        assertThat(alice.connection().isOpen()).isTrue();

        get(bobDisplay.window("people").close());
        await().atMost(WAIT).until(() -> people.observerCount() == 0
                && board.observerCount() == 0);
        await().atMost(WAIT).until(() -> server.connections().stream()
                .allMatch(c -> c.exportedObjectCount() == 1)); // only the root is left
    }

    @Test
    void rebindingRightAfterEachReplacementKeepsFollowingTheList() throws Exception {
        Stage a = openBound(aliceDisplay, alice);
        RemoteWindow w = aliceDisplay.window("people");
        // Not waiting between the calls: each replacement releases the copy while the next
        // bind's copy may already be on its way.
        List<CompletableFuture<?>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(w.replace(page(), null));
            calls.add(w.bind("people.items", people));
            calls.add(w.bind("status.text", board, "status"));
        }
        for (CompletableFuture<?> f : calls) {
            get(f);
        }
        people.add(Map.of("name", "Alan Turing", "role", "mathematician"));
        board.put("status", "3 people");
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(rows(a)).hasSize(3);
            assertThat(status(a)).isEqualTo("3 people");
        });
        assertThat(people.observerCount()).isEqualTo(1);
        assertThat(alice.connection().isOpen()).isTrue();
    }

    @Test
    void oneListBoundInTwoWindowsIsOneCopyReleasedWithTheLastBinding() throws Exception {
        openBound(aliceDisplay, alice);
        RemoteWindow second = aliceDisplay.window("second");
        get(second.open(WindowSpec.titled("Second"), page(), null));
        get(second.bind("people.items", people));
        Stage s = awaitWindow(alice, "second");
        assertThat(people.observerCount()).isEqualTo(1);

        get(aliceDisplay.window("people").close());
        people.add(Map.of("name", "Alan Turing", "role", "mathematician"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(rows(s)).hasSize(3));
        assertThat(people.observerCount()).isEqualTo(1);

        assertThat(get(second.unbind("people.items"))).isTrue();
        assertThat(get(second.unbind("people.items"))).isFalse();
        await().atMost(WAIT).until(() -> people.observerCount() == 0);
        assertThat(rows(s)).hasSize(3); // the control keeps what it showed
    }

    @Test
    void bindingAControlThatIsNotThereIsATypedErrorAndTheWindowStaysBindable()
            throws Exception {
        openBound(aliceDisplay, alice);
        RemoteWindow w = aliceDisplay.window("people");

        assertThatThrownBy(() -> get(w.bind("nobody.items", people)))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UiBundleException.class)
                .hasMessageContaining("no control with fx:id nobody");
        assertThatThrownBy(() -> get(w.bind("status.text", people)))
                .cause().isInstanceOf(UiBundleException.class)
                .hasMessageContaining("fxId.items");
        assertThatThrownBy(() -> get(w.bind("people.nothing", board, "status")))
                .cause().isInstanceOf(UiBundleException.class)
                .hasMessageContaining("no writable property nothing");
        get(w.bind("people.items", people));
        assertThat(people.observerCount()).isEqualTo(1);
    }
}
