package dev.jpb.examples.lab.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.examples.lab.LabOptions;
import dev.jpb.examples.lab.LabServer;
import dev.jpb.LoginFailedException;
import dev.jpb.examples.lab.NotAnOperatorError;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.examples.lab.data.LabUsers;
import dev.jpb.examples.lab.data.Role;
import dev.jpb.examples.lab.ui.pushed.LabEditor;
import dev.jpb.thin.ThinClient;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/**
 * The lab's pushed UI end to end: a lab server over TLS on an H2 file, the generic thin client
 * pinning it and logging in (an operator, or a viewer), headless JavaFX (Monocle). Edits are
 * made as a user makes them, through the pushed controls. Screenshots go to target/screenshots.
 */
@Timeout(180)
class LabUiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String OPERATOR = "admin";
    private static final String VIEWER = "vera";
    private static final char[] OPERATOR_PASSWORD = "admin-secret".toCharArray();
    private static final char[] VIEWER_PASSWORD = "vera-secret".toCharArray();
    private static final String SAM = "sam";
    private static final char[] SAM_PASSWORD = "sam-secret".toCharArray();

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void fxUp() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private LabServer start() {
        return start(0);
    }

    /** Starts the lab on {@code port} with the operator (the first-run admin) and a viewer. */
    private LabServer start(int port) {
        LabServer lab = LabServer.start(LabOptions.parse(new String[] {"--port",
                Integer.toString(port), "--data", dataDir.toString()}, Map.of()));
        open.add(lab);
        LabUsers users = lab.store().users();
        users.ensureAdmin(OPERATOR, OPERATOR_PASSWORD);
        if (users.role(VIEWER).isEmpty()) {
            users.add(VIEWER, VIEWER_PASSWORD, Role.VIEWER);
        }
        return lab;
    }

    private Stage station(LabServer lab) throws Exception {
        return station(lab, OPERATOR, OPERATOR_PASSWORD);
    }

    private Stage station(LabServer lab, String user, char[] password) throws Exception {
        return station(connect(lab.fingerprint(), lab.port(), user, password, false));
    }

    private ThinClient connect(String pin, int port, String user, char[] password,
            boolean reconnect) {
        ThinClient.Builder builder = ThinClient.builder().pin(pin).login(user, password);
        if (reconnect) {
            builder.reconnect(Duration.ofMillis(100), Duration.ofMillis(500));
        }
        ThinClient client = builder.connect("127.0.0.1", port);
        open.add(client);
        return client;
    }

    private Stage station(ThinClient client) throws Exception {
        assertThat(client.attached().get(WAIT.toSeconds(), TimeUnit.SECONDS).toString())
                .startsWith("pushed the lab UI to station ");
        await().atMost(WAIT).until(() -> client.window(LabUi.WINDOW).map(Stage::isShowing)
                .orElse(false));
        Stage stage = client.window(LabUi.WINDOW).orElseThrow();
        assertThat(fx(stage::getTitle)).isEqualTo("Lab");
        // the controller is the pushed code, in its bundle's class loader
        Object controller = fx(() -> client.controller(LabUi.WINDOW).orElseThrow());
        assertThat(controller.getClass().getName()).isEqualTo(LabEditor.class.getName());
        assertThat(controller.getClass().getClassLoader().getName()).startsWith("jpb-bundle-");
        return stage;
    }

    @Test
    void crudThroughThePushedUiIsStoredAndThereAfterARestart() throws Exception {
        LabServer lab = start();
        Stage s = station(lab);
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie");
        screenshot(s.getScene(), "lab-people");

        // create
        fillAndSave(s, "Dana Scully", "32", "dana@lab.example");
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie",
                "Dana Scully");
        awaitStatus(s, "Added Dana Scully");
        PersonView dana = lab.store().people().get(4);
        assertThat(dana.name()).isEqualTo("Dana Scully");
        assertThat(dana.age()).isEqualTo(32);
        assertThat(dana.addresses()).singleElement().satisfies(a -> {
            assertThat(a.email()).isEqualTo("dana@lab.example");
            assertThat(a.primary()).isTrue();
        });

        // update: pick her row, the form fills in, change the age
        select(s, "Dana Scully");
        assertThat(fx(() -> text(s, "name"))).isEqualTo("Dana Scully");
        assertThat(fx(() -> text(s, "email"))).isEqualTo("dana@lab.example");
        fillAndSave(s, "Dana Scully", "33", "dana@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                lab.store().person(dana.id()).orElseThrow().age()).isEqualTo(33));
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> row(s, "Dana Scully")
                .age())).isEqualTo(33));

        // delete
        select(s, "Alan Turing");
        fx(() -> {
            lookup(s, "delete", Button.class).fire();
            return null;
        });
        awaitNames(s, "Ada Lovelace", "Grace Hopper", "Marie Curie", "Dana Scully");
        assertThat(lab.store().personCount()).isEqualTo(4);

        // stop everything, start again on the same folder: same identity, same data
        String pin = lab.fingerprint();
        closeAll();
        open.clear();
        LabServer again = start();
        assertThat(again.fingerprint()).isEqualTo(pin);
        Stage after = station(again);
        awaitNames(after, "Ada Lovelace", "Grace Hopper", "Marie Curie", "Dana Scully");
        assertThat(fx(() -> row(after, "Dana Scully").age())).isEqualTo(33);
        assertThat(fx(() -> row(after, "Dana Scully").email())).isEqualTo("dana@lab.example");
    }

    @Test
    void aDuplicateEmailIsShownUnderTheEmailFieldAndNothingIsWritten() throws Exception {
        LabServer lab = start();
        Stage s = station(lab);
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie");
        List<PersonView> before = lab.store().people();

        fillAndSave(s, "Fox Mulder", "34", "ADA@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "emailError", Label.class).getText()))
                .contains("ada@lab.example").contains("already used"));
        assertThat(fx(() -> lookup(s, "emailError", Label.class).isVisible())).isTrue();
        assertThat(fx(() -> lookup(s, "nameError", Label.class).isVisible())).isFalse();
        // the form keeps what the user typed, so it can be corrected
        assertThat(fx(() -> text(s, "name"))).isEqualTo("Fox Mulder");
        assertThat(lab.store().people()).isEqualTo(before);
        assertThat(fx(() -> names(s))).doesNotContain("Fox Mulder");

        fillAndSave(s, "Fox Mulder", "many", "fox@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "ageError", Label.class).getText())).contains("whole number"));
        assertThat(fx(() -> lookup(s, "emailError", Label.class).getText())).isEmpty();
        fillAndSave(s, "F".repeat(PersonView.MAX_NAME_LENGTH + 1), "34", "fox@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "nameError", Label.class).getText())).contains("128"));
        // corrected, it goes through (stored in lower case), and the errors are gone
        fillAndSave(s, "Fox Mulder", "34", "FOX@lab.example");
        awaitStatus(s, "Added Fox Mulder");
        assertThat(fx(() -> lookup(s, "nameError", Label.class).getText())).isEmpty();
        assertThat(lab.store().people().get(4).addresses().get(0).email())
                .isEqualTo("fox@lab.example");
        fillAndSave(s, "Dana Scully", "32", "ADA@lab.example");
        await().atMost(WAIT).until(() -> fx(() ->
                !lookup(s, "emailError", Label.class).getText().isEmpty()));
        screenshot(s.getScene(), "lab-field-error");
        assertThat(lab.store().personCount()).isEqualTo(5);
    }

    @Test
    void teamsAndTheRunControlScreen() throws Exception {
        LabServer lab = start();
        Stage s = station(lab);
        fx(() -> {
            lookup(s, "tabs", TabPane.class).getSelectionModel().select(1);
            return null;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> List.copyOf(
                lookup(s, "teams", ListView.class).getItems())))
                .containsExactly("optics (2 members)", "detectors (3 members)"));
        addTeam(s, "optics");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "teamNameError", Label.class).getText())).contains("optics"));
        screenshot(s.getScene(), "lab-teams");
        addTeam(s, "cryogenics");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> List.copyOf(
                lookup(s, "teams", ListView.class).getItems())))
                .contains("cryogenics (0 members)"));
        assertThat(lab.store().teams()).hasSize(3);

        fx(() -> {
            lookup(s, "tabs", TabPane.class).getSelectionModel().select(2);
            return null;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> List.copyOf(
                lookup(s, "stations", ListView.class).getItems())))
                .containsExactly("admin (operator), you"));
        List<String> steps = fx(() -> lookup(s, "steps", HBox.class).getChildren().stream()
                .map(n -> ((Label) n).getText()).toList());
        assertThat(steps).containsExactly("1. prepare", "2. calibrate", "3. acquire",
                "4. review");
        assertThat(fx(() -> lookup(s, "currentStep", Label.class).getText()))
                .startsWith("Current step: 1. prepare");
        assertThat(fx(() -> lookup(s, "advance", Button.class).isDisabled())).isFalse();
        assertThat(fx(() -> lookup(s, "acknowledge", Button.class).isDisabled())).isTrue();
    }

    @Test
    void twoStationsSeeEachOthersEditsAtOnce() throws Exception {
        LabServer lab = start();
        Stage a = station(lab);
        Stage b = station(lab);
        awaitNames(b, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie");

        // a new person saved on one station shows in the other's table, nothing reloaded
        fillAndSave(a, "Dana Scully", "32", "dana@lab.example");
        awaitNames(b, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie",
                "Dana Scully");
        assertThat(fx(() -> row(b, "Dana Scully").email())).isEqualTo("dana@lab.example");
        // the other station changes her; the first sees the change
        select(b, "Dana Scully");
        assertThat(fx(() -> lookup(b, "formTitle", Label.class).getText()))
                .startsWith("Person #");
        fillAndSave(b, "Dana Scully", "33", "scully@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> row(a, "Dana Scully")))
                .isEqualTo(new RowView("Dana Scully", 33, "scully@lab.example")));
        screenshot(a.getScene(), "lab-live-edit");
        // and a deletion on the first leaves the second's table at once
        select(a, "Alan Turing");
        fx(() -> {
            lookup(a, "delete", Button.class).fire();
            return null;
        });
        awaitNames(b, "Ada Lovelace", "Grace Hopper", "Marie Curie", "Dana Scully");
        assertThat(lab.store().personCount()).isEqualTo(4);
    }

    @Test
    void theProcedureFollowedByThreeStationsOneOfWhichDisconnectsAtStep2AndComesBack()
            throws Exception {
        LabServer lab = start();
        lab.store().users().add(SAM, SAM_PASSWORD, Role.VIEWER);
        Stage op = station(lab);
        Stage vera = station(lab, VIEWER, VIEWER_PASSWORD);
        ThinClient samClient = connect(lab.fingerprint(), lab.port(), SAM, SAM_PASSWORD, false);
        Stage sam = station(samClient);
        for (Stage s : List.of(op, vera, sam)) {
            runTab(s);
        }
        awaitStations(op, "admin (operator), you", "vera (viewer)", "sam (viewer)");
        assertThat(fx(() -> lookup(vera, "advance", Button.class).isDisabled()))
                .as("a viewer does not drive the steps").isTrue();

        // the operator moves on to step 2, which needs every station: each screen follows
        press(op, "advance");
        for (Stage s : List.of(op, vera, sam)) {
            awaitCurrent(s, "Current step: 2. calibrate");
        }
        assertThat(fx(() -> lookup(sam, "acknowledge", Button.class).isDisabled())).isFalse();
        assertThat(fx(() -> lookup(op, "advance", Button.class).isDisabled())).isTrue();

        // sam's station goes away; the others acknowledge; the step waits for sam
        samLeavesAndTheOthersAcknowledge(samClient, op, vera);
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(op, "waitingFor", Label.class).getText()))
                .isEqualTo("Waiting for: sam (disconnected)"));
        assertThat(fx(() -> lookup(op, "advance", Button.class).isDisabled())).isTrue();
        screenshot(op.getScene(), "lab-run-control");
        screenshot(vera.getScene(), "lab-run-control-viewer");

        // sam comes back: a new client, logged in again, its screen at step 2 at once
        Stage back = station(connect(lab.fingerprint(), lab.port(), SAM, SAM_PASSWORD,
                false));
        runTab(back);
        awaitCurrent(back, "Current step: 2. calibrate");
        awaitStations(op, "admin (operator), you: acknowledged",
                "vera (viewer): acknowledged", "sam (viewer): waiting for its acknowledgement");
        assertThat(fx(() -> lookup(op, "waitingFor", Label.class).getText()))
                .isEqualTo("Waiting for: sam");
        press(back, "acknowledge");
        await().atMost(WAIT).until(() -> fx(() -> !lookup(op, "advance", Button.class)
                .isDisabled()));
        assertThat(fx(() -> lookup(op, "waitingFor", Label.class).getText())).isEmpty();

        // on to step 3, then 4, every screen following
        press(op, "advance");
        for (Stage s : List.of(op, vera, back)) {
            awaitCurrent(s, "Current step: 3. acquire");
            press(s, "acknowledge");
        }
        await().atMost(WAIT).until(() -> fx(() -> !lookup(op, "advance", Button.class)
                .isDisabled()));
        press(op, "advance");
        for (Stage s : List.of(op, vera, back)) {
            awaitCurrent(s, "Current step: 4. review");
        }
        assertThat(lab.lab().procedure().current()).isEqualTo(3);
        assertThat(fx(() -> lookup(op, "advance", Button.class).isDisabled())).isTrue();
        screenshot(back.getScene(), "lab-run-control-review");
    }

    @Test
    void anOperatorRemovesAStationThatWillNotComeBackAndTheStepGoesOn() throws Exception {
        LabServer lab = start();
        lab.store().users().add(SAM, SAM_PASSWORD, Role.VIEWER);
        Stage op = station(lab);
        Stage vera = station(lab, VIEWER, VIEWER_PASSWORD);
        ThinClient samClient = connect(lab.fingerprint(), lab.port(), SAM, SAM_PASSWORD, false);
        station(samClient);
        for (Stage s : List.of(op, vera)) {
            runTab(s);
        }
        awaitStations(op, "admin (operator), you", "vera (viewer)", "sam (viewer)");
        press(op, "advance");
        awaitCurrent(op, "Current step: 2. calibrate");

        // sam's station goes away for good; the others acknowledge; the step waits for sam
        samLeavesAndTheOthersAcknowledge(samClient, op, vera);
        assertThat(fx(() -> lookup(op, "runNote", Label.class).getText()))
                .endsWith("select it and press Remove station.");
        select(op, 1);
        assertThat(fx(() -> lookup(op, "removeStation", Button.class).isDisabled()))
                .as("vera is connected: she stays").isTrue();
        select(vera, 2);
        assertThat(fx(() -> lookup(vera, "removeStation", Button.class).isDisabled()))
                .as("a viewer does not change the roster").isTrue();
        select(op, 2);
        assertThat(fx(() -> lookup(op, "removeStation", Button.class).isDisabled())).isFalse();
        screenshot(op.getScene(), "lab-remove-station-before");

        press(op, "removeStation");
        awaitStations(op, "admin (operator), you: acknowledged", "vera (viewer): acknowledged");
        awaitStations(vera, "admin (operator): acknowledged", "vera (viewer), you: acknowledged");
        await().atMost(WAIT).until(() -> fx(() -> !lookup(op, "advance", Button.class)
                .isDisabled()));
        assertThat(fx(() -> lookup(op, "waitingFor", Label.class).getText())).isEmpty();
        assertThat(fx(() -> lookup(op, "status", Label.class).getText()))
                .isEqualTo("Removed station sam from the roster");
        assertThat(lab.lab().procedure().missing()).isEmpty();
        screenshot(op.getScene(), "lab-remove-station-after");

        // step 3 waits for the two stations left
        press(op, "advance");
        for (Stage s : List.of(op, vera)) {
            awaitCurrent(s, "Current step: 3. acquire");
        }
        assertThat(lab.lab().procedure().missing()).containsExactly(OPERATOR, VIEWER);
    }

    /** Sam's client closes; the operator and vera acknowledge; the step waits for sam. */
    private static void samLeavesAndTheOthersAcknowledge(ThinClient sam, Stage op, Stage vera)
            throws Exception {
        sam.close();
        press(op, "acknowledge");
        press(vera, "acknowledge");
        awaitStations(op, "admin (operator), you: acknowledged",
                "vera (viewer): acknowledged",
                "sam (viewer), disconnected: waiting for its acknowledgement");
    }

    private static void select(Stage s, int line) throws Exception {
        fx(() -> {
            lookup(s, "stations", ListView.class).getSelectionModel().select(line);
            return null;
        });
    }

    private static void runTab(Stage s) throws Exception {
        fx(() -> {
            lookup(s, "tabs", TabPane.class).getSelectionModel().select(2);
            return null;
        });
    }

    private static void press(Stage s, String button) throws Exception {
        await().atMost(WAIT).until(() -> fx(() -> !lookup(s, button, Button.class)
                .isDisabled()));
        fx(() -> {
            lookup(s, button, Button.class).fire();
            return null;
        });
    }

    private static void awaitCurrent(Stage s, String text) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "currentStep", Label.class).getText())).startsWith(text));
    }

    private static void awaitStations(Stage s, String... lines) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> List.copyOf(
                lookup(s, "stations", ListView.class).getItems()))).containsExactly(
                        (Object[]) lines));
    }

    @Test
    void aViewerWatchesAndHerEditIsRefusedWithATypedErrorInTheUi() throws Exception {
        LabServer lab = start();
        Stage s = station(lab, VIEWER, VIEWER_PASSWORD);
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie");
        List<PersonView> before = lab.store().people();

        fillAndSave(s, "Dana Scully", "32", "dana@lab.example");
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "status", Label.class).getText()))
                .startsWith("Not saved: " + NotAnOperatorError.class.getSimpleName() + ": ")
                .contains("vera is a viewer and may only watch: cannot save a person"));
        assertThat(fx(() -> lookup(s, "status", Label.class).getStyleClass()))
                .contains("problem");
        screenshot(s.getScene(), "lab-viewer-refused");
        select(s, "Alan Turing");
        fx(() -> {
            lookup(s, "delete", Button.class).fire();
            return null;
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "status", Label.class).getText()))
                .startsWith("Not deleted: ").contains("cannot delete a person"));
        assertThat(lab.store().people()).isEqualTo(before);
        assertThat(fx(() -> names(s))).doesNotContain("Dana Scully").contains("Alan Turing");

        // an operator's station beside it edits
        Stage op = station(lab);
        fillAndSave(op, "Dana Scully", "32", "dana@lab.example");
        awaitStatus(op, "Added Dana Scully");
        assertThat(lab.store().personCount()).isEqualTo(5);
    }

    @Test
    void aWrongPasswordIsRefusedAndNothingIsPushed() throws Exception {
        LabServer lab = start();
        ThinClient client = connect(lab.fingerprint(), lab.port(), OPERATOR,
                "not-the-password".toCharArray(), false);
        assertThatThrownBy(() -> client.attached().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(LoginFailedException.class);
        assertThat(client.windowIds()).isEmpty();
        ThinClient nobody = connect(lab.fingerprint(), lab.port(), "mallory",
                "guess".toCharArray(), false);
        assertThatThrownBy(() -> nobody.attached().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(LoginFailedException.class);
        assertThat(nobody.windowIds()).isEmpty();
    }

    @Test
    void aStationReconnectsLogsInAgainAndGetsItsUiBackAfterARestart() throws Exception {
        LabServer lab = start();
        int port = lab.port();
        String pin = lab.fingerprint();
        ThinClient client = connect(pin, port, OPERATOR, OPERATOR_PASSWORD, true);
        Stage s = station(client);
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie");
        fillAndSave(s, "Dana Scully", "32", "dana@lab.example");
        awaitStatus(s, "Added Dana Scully");
        Object before = fx(() -> client.controller(LabUi.WINDOW).orElseThrow());

        open.remove(lab);
        lab.close();
        await().atMost(WAIT).untilAsserted(() -> {
            Label banner = fx(() -> lookup(s, "jpb-connection-lost", Label.class));
            assertThat(fx(banner::isVisible)).isTrue();
            assertThat(fx(banner::getText)).contains("Reconnecting");
        });
        assertThat(fx(s::getTitle)).endsWith("(disconnected)");
        screenshot(s.getScene(), "lab-reconnecting");

        start(port); // the same port and data folder: same identity, same users, same data
        await().atMost(WAIT).until(() -> fx(() -> client.controller(LabUi.WINDOW)
                .orElse(before)) != before);
        awaitNames(s, "Ada Lovelace", "Alan Turing", "Grace Hopper", "Marie Curie",
                "Dana Scully");
        assertThat(fx(() -> lookup(s, "jpb-connection-lost", Label.class).isVisible()))
                .isFalse();
        assertThat(fx(s::getTitle)).isEqualTo("Lab");
        // the new UI works: the re-login made it an operator's again
        fillAndSave(s, "Fox Mulder", "34", "fox@lab.example");
        awaitStatus(s, "Added Fox Mulder");
        screenshot(s.getScene(), "lab-reconnected");
    }

    private static void fillAndSave(Stage s, String name, String age, String email)
            throws Exception {
        fx(() -> {
            lookup(s, "name", TextField.class).setText(name);
            lookup(s, "age", TextField.class).setText(age);
            lookup(s, "email", TextField.class).setText(email);
            lookup(s, "save", Button.class).fire();
            return null;
        });
    }

    private static void addTeam(Stage s, String name) throws Exception {
        fx(() -> {
            lookup(s, "teamName", TextField.class).setText(name);
            lookup(s, "addTeam", Button.class).fire();
            return null;
        });
    }

    /** The people table; its rows are the bundle's LabEditor.Row, not this test's. */
    private static TableView<?> table(Stage s) {
        return lookup(s, "people", TableView.class);
    }

    /** The table's rows by name (reads the pushed class's record reflectively: its loader). */
    private static List<String> names(Stage s) {
        List<String> out = new ArrayList<>();
        for (Object r : table(s).getItems()) {
            out.add(RowView.of(r).name());
        }
        return out;
    }

    private static RowView row(Stage s, String name) {
        for (Object r : table(s).getItems()) {
            if (RowView.of(r).name().equals(name)) {
                return RowView.of(r);
            }
        }
        throw new AssertionError("no row " + name + " in " + names(s));
    }

    private static void select(Stage s, String name) throws Exception {
        fx(() -> {
            TableView<?> t = table(s);
            for (int i = 0; i < t.getItems().size(); i++) {
                if (RowView.of(t.getItems().get(i)).name().equals(name)) {
                    t.getSelectionModel().select(i);
                }
            }
            return null;
        });
    }

    /** A row of the pushed table, read through its accessors (its class is the bundle's). */
    private record RowView(String name, int age, String email) {
        static RowView of(Object row) {
            try {
                Class<?> c = row.getClass();
                return new RowView((String) c.getMethod("name").invoke(row),
                        (Integer) c.getMethod("age").invoke(row),
                        (String) c.getMethod("email").invoke(row));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static void awaitNames(Stage s, String... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() -> names(s)))
                .containsExactly(expected));
    }

    private static void awaitStatus(Stage s, String prefix) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(s, "status", Label.class).getText())).startsWith(prefix));
    }

    private static String text(Stage s, String id) {
        return lookup(s, id, TextField.class).getText();
    }

    private static <T> T lookup(Stage s, String id, Class<T> type) {
        return type.cast(s.getScene().getRoot().lookup("#" + id));
    }

    private static <T> T fx(Supplier<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Saves the scene as target/screenshots/NAME.png (docs/images has copies). */
    static Path screenshot(Scene scene, String name) throws Exception {
        WritableImage image = fx(() -> scene.snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        Path file = dir.resolve(name + ".png");
        ImageIO.write(out, "png", file.toFile());
        assertThat(Files.size(file)).isGreaterThan(2000);
        return file;
    }
}
