package dev.jpb.examples.lab.ui.pushed;

import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.cache.CachedMap;
import dev.jpb.thin.ThinContext;
import dev.jpb.thin.ThinController;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;

/**
 * The lab's people/teams editor and run-control screen, pushed to the thin client as code
 * with {@code lab.fxml}. It talks to its server-side {@code LabUi.Backend} through
 * {@link ThinContext#server()}. It follows two observed copies the backend hands it
 * ({@code live()}): the people table (a {@link CachedMap} of id to row, each row a list of
 * plain values: the thin client knows no lab types), so every station's edit shows in this
 * table at once, and the procedure (a {@link CachedMap} with one state), so the run-control
 * screen follows each step and shows who the step still waits for. A refused edit comes back
 * as a map of field to message, shown under that field. Runs on the client's JavaFX
 * Application Thread and never blocks it: every call is composed, and the copies' listeners
 * hand their changes to that thread.
 */
public class LabEditor extends Referenceable implements ThinController {
    @FXML
    private Label status;
    @FXML
    private TableView<Row> people;
    @FXML
    private TableColumn<Row, Object> idColumn;
    @FXML
    private TableColumn<Row, Object> nameColumn;
    @FXML
    private TableColumn<Row, Object> ageColumn;
    @FXML
    private TableColumn<Row, Object> emailColumn;
    @FXML
    private TableColumn<Row, Object> teamsColumn;
    @FXML
    private TableColumn<Row, Object> badgeColumn;
    @FXML
    private Label formTitle;
    @FXML
    private TextField name;
    @FXML
    private TextField age;
    @FXML
    private TextField email;
    @FXML
    private Label nameError;
    @FXML
    private Label ageError;
    @FXML
    private Label emailError;
    @FXML
    private Button save;
    @FXML
    private Button delete;
    @FXML
    private ListView<String> teams;
    @FXML
    private TextField teamName;
    @FXML
    private Label teamNameError;
    @FXML
    private HBox steps;
    @FXML
    private Label currentStep;
    @FXML
    private ListView<String> stations;
    @FXML
    private Button advance;
    @FXML
    private Button acknowledge;
    @FXML
    private Button removeStation;
    @FXML
    private Label waitingFor;
    @FXML
    private Label runNote;

    private RemoteReference server; // written once, in created()
    // the live() answer, asked for in created() so that the table travels while the
    // document loads and the window opens; FX thread only
    private CompletableFuture<Map<String, Object>> liveAnswer;
    private long editing; // the person in the form, 0 for a new one; FX thread only
    // The observed copies, held for the window's life (a copy nobody holds is released);
    // written once on the FX thread, read there.
    private CachedMap<Long, List<Object>> peopleCopy;
    private CachedMap<String, Object> runCopy;
    private String user = ""; // FX thread only
    private boolean operator; // FX thread only
    private int current; // the procedure's step shown; FX thread only
    // the stations shown, by their line's index; FX thread only
    private final List<Shown> shown = new java.util.ArrayList<>();

    /** A station as its line shows it: the user, and whether it is connected. */
    private record Shown(String name, boolean connected) {
    }

    /** One table row: a person as the server sent it. */
    public record Row(long id, String name, int age, String email, String teams, String badge) {
        static Row of(List<?> values) {
            return new Row(((Number) values.get(0)).longValue(), (String) values.get(1),
                    ((Number) values.get(2)).intValue(), (String) values.get(3),
                    (String) values.get(4), (String) values.get(5));
        }
    }

    /** Asks for the live copies at once: 10,000 rows travel while the document loads. */
    @Override
    public void created(ThinContext context) {
        server = context.server();
        liveAnswer = server.callRemote("live");
    }

    @Override
    public void connected(ThinContext context) {
        if (server == null) { // a client that does not call created()
            created(context);
        }
        column(idColumn, Row::id);
        column(nameColumn, Row::name);
        column(ageColumn, Row::age);
        column(emailColumn, Row::email);
        column(teamsColumn, Row::teams);
        column(badgeColumn, Row::badge);
        people.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        for (Label error : List.of(nameError, ageError, emailError, teamNameError,
                waitingFor)) {
            error.managedProperty().bind(error.textProperty().isNotEmpty());
            error.visibleProperty().bind(error.textProperty().isNotEmpty());
        }
        save.disableProperty().bind(name.textProperty().isEmpty());
        delete.setDisable(true);
        people.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
            // a row another station changed under the form does not overwrite what is typed
            if (row != null && row.id() != editing) {
                edit(row);
            }
        });
        // 10,000 rows: one height for every row, so the first layout measures none of them
        people.setFixedCellSize(24);
        advance.setDisable(true);
        acknowledge.setDisable(true);
        removeStation.setDisable(true);
        stations.getSelectionModel().selectedIndexProperty().addListener(
                (o, was, index) -> enableRemoveStation());
        liveAnswer.whenComplete((live, failure) -> fx(() -> {
            if (failure != null) {
                problem("Could not read the people: " + message(failure));
                return;
            }
            follow(live);
        }));
        loadTeams();
    }

    @SuppressWarnings("unchecked")
    private void follow(Map<String, Object> live) {
        user = String.valueOf(live.get("user"));
        operator = Boolean.TRUE.equals(live.get("operator"));
        peopleCopy = (CachedMap<Long, List<Object>>) live.get("people");
        runCopy = (CachedMap<String, Object>) live.get("run");
        // Changes are applied on this client's executor, in order; read the state and add
        // the listeners in one go on the FX thread, so no change falls between them.
        List<List<Object>> rows = List.copyOf(peopleCopy.snapshot().values());
        List<Row> all = new java.util.ArrayList<>(rows.size());
        for (List<Object> r : rows) {
            all.add(Row.of(r));
        }
        people.getItems().setAll(all);
        status.setText(all.size() + " people");
        // Another station's edit shows here at once (this station's own edits come back too,
        // around their answer: the row is then shown already, or the answer replaces it).
        peopleCopy.addListener(change -> fx(() -> {
            switch (change.kind()) {
                case PUT -> {
                    Row row = Row.of(change.newValue());
                    if (people.getItems().contains(row)) {
                        return; // this station's own save, already shown
                    }
                    put(row);
                    status.setText(row.name() + " (#" + row.id() + ") was "
                            + (change.oldValue() == null ? "added" : "changed"));
                }
                case REMOVE -> {
                    people.getItems().removeIf(r -> r.id() == change.key());
                    status.setText("#" + change.key() + " was deleted");
                }
                default -> people.getItems().clear();
            }
        }));
        runCopy.addListener(change -> fx(() -> showProcedure(runCopy.get("state"))));
        showProcedure(runCopy.get("state"));
    }

    /** Runs {@code action} on the FX thread: now if this is it, else later. */
    private static void fx(Runnable action) {
        if (Platform.isFxApplicationThread()) {
            action.run();
        } else {
            Platform.runLater(action);
        }
    }

    private static void column(TableColumn<Row, Object> column, Function<Row, Object> value) {
        column.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(value.apply(c.getValue())));
    }

    private void edit(Row row) {
        editing = row.id();
        formTitle.setText("Person #" + row.id());
        name.setText(row.name());
        age.setText(Integer.toString(row.age()));
        email.setText(row.email() == null ? "" : row.email());
        clearErrors();
        delete.setDisable(false);
    }

    @FXML
    void save() {
        clearErrors();
        status.setText("Saving...");
        long id = editing;
        server.<Map<String, Object>>callRemote("savePerson", id, name.getText(), age.getText(),
                email.getText()).whenComplete((answer, failure) -> {
                    if (failure != null) {
                        problem("Not saved: " + message(failure));
                    } else if (answer.get("errors") instanceof Map<?, ?> errors) {
                        showErrors(errors);
                        problem("Not saved: see the fields marked in red");
                    } else {
                        Row row = Row.of((List<?>) answer.get("saved"));
                        put(row);
                        status.setText((id == 0 ? "Added " : "Saved ") + row.name()
                                + " (#" + row.id() + ")");
                        clear();
                    }
                });
    }

    @FXML
    void clear() {
        editing = 0;
        people.getSelectionModel().clearSelection();
        formTitle.setText("New person");
        name.clear();
        age.clear();
        email.clear();
        delete.setDisable(true);
    }

    @FXML
    void delete() {
        long id = editing;
        if (id == 0) {
            return;
        }
        server.<Boolean>callRemote("deletePerson", id).whenComplete((gone, failure) -> {
            if (failure != null) {
                problem("Not deleted: " + message(failure));
                return;
            }
            people.getItems().removeIf(r -> r.id() == id);
            status.setText("Deleted #" + id);
            clear();
        });
    }

    @FXML
    void addTeam() {
        teamNameError.setText("");
        server.<Map<String, Object>>callRemote("createTeam", teamName.getText())
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        teamNameError.setText(message(failure));
                    } else if (answer.get("errors") instanceof Map<?, ?> errors) {
                        Object text = errors.values().iterator().next();
                        teamNameError.setText(String.valueOf(text));
                    } else {
                        teamName.clear();
                        status.setText("Added team " + answer.get("saved"));
                        loadTeams();
                    }
                });
    }

    @FXML
    void advance() {
        server.<Integer>callRemote("advance").whenComplete((step, failure) -> fx(() -> {
            if (failure != null) {
                runNote.setText("Not moved on: " + message(failure));
            }
        }));
    }

    @FXML
    void acknowledge() {
        int step = current;
        acknowledge.setDisable(true);
        server.<Boolean>callRemote("acknowledge", step).whenComplete((ok, failure) -> fx(() -> {
            if (failure != null) {
                runNote.setText("Not acknowledged: " + message(failure));
            }
        }));
    }

    @FXML
    void removeStation() {
        String name = selectedStation();
        if (name == null) {
            return;
        }
        removeStation.setDisable(true);
        server.callRemote("removeStation", name).whenComplete((v, failure) -> fx(() -> {
            if (failure != null) {
                runNote.setText("Not removed: " + message(failure));
                enableRemoveStation();
            } else {
                status.setText("Removed station " + name + " from the roster");
            }
        }));
    }

    /** An operator may remove the selected station if it lost its connection. */
    private void enableRemoveStation() {
        int i = stations.getSelectionModel().getSelectedIndex();
        removeStation.setDisable(!operator || i < 0 || i >= shown.size()
                || shown.get(i).connected());
    }

    /** Shows the procedure's state: its steps, the current one, the stations, who is missing. */
    private void showProcedure(Object value) {
        if (!(value instanceof Map<?, ?> state)) {
            return;
        }
        List<?> names = (List<?>) state.get("steps");
        current = ((Number) state.get("current")).intValue();
        steps.getChildren().clear();
        for (int i = 0; i < names.size(); i++) {
            Label step = new Label((i + 1) + ". " + names.get(i));
            step.getStyleClass().add("step");
            if (i < current) {
                step.getStyleClass().add("done");
            } else if (i == current) {
                step.getStyleClass().add("current");
            }
            steps.getChildren().add(step);
        }
        boolean needsAck = Boolean.TRUE.equals(state.get("needsAck"));
        currentStep.setText("Current step: " + (current + 1) + ". " + names.get(current) + " — "
                + state.get("about"));
        List<String> lines = new java.util.ArrayList<>();
        List<String> missing = new java.util.ArrayList<>();
        String selected = selectedStation(); // before the lines change
        shown.clear();
        for (Object o : (List<?>) state.get("stations")) {
            Map<?, ?> st = (Map<?, ?>) o;
            boolean connected = Boolean.TRUE.equals(st.get("connected"));
            boolean acked = Boolean.TRUE.equals(st.get("acknowledged"));
            String name = String.valueOf(st.get("name"));
            String line = name + " (" + st.get("role") + ")" + (name.equals(user) ? ", you" : "")
                    + (connected ? "" : ", disconnected");
            if (needsAck) {
                line += acked ? ": acknowledged" : ": waiting for its acknowledgement";
                if (!acked) {
                    missing.add(name + (connected ? "" : " (disconnected)"));
                }
            }
            lines.add(line);
            shown.add(new Shown(name, connected));
        }
        stations.getItems().setAll(lines);
        for (int i = 0; i < shown.size(); i++) { // the same station stays selected
            if (shown.get(i).name().equals(selected)) {
                stations.getSelectionModel().select(i);
            }
        }
        enableRemoveStation();
        waitingFor.setText(missing.isEmpty() ? "" : "Waiting for: " + String.join(", ", missing));
        boolean mine = needsAck && ((List<?>) state.get("missing")).contains(user);
        acknowledge.setDisable(!mine);
        advance.setDisable(!operator || !Boolean.TRUE.equals(state.get("ready")));
        if (mine) {
            runNote.setText("This step needs your acknowledgement: press Acknowledge when done.");
        } else if (!missing.isEmpty()) {
            runNote.setText(operator && shown.stream().anyMatch(s -> !s.connected())
                    ? "The step waits for every station. One that will not come back: select"
                            + " it and press Remove station."
                    : "The step waits for every station.");
        } else if (current == names.size() - 1) {
            runNote.setText("The procedure is at its last step.");
        } else {
            runNote.setText(operator ? "You drive the steps: press Next step when ready."
                    : "You watch; an operator drives the steps.");
        }
    }

    private String selectedStation() {
        int i = stations.getSelectionModel().getSelectedIndex();
        return i >= 0 && i < shown.size() ? shown.get(i).name() : null;
    }

    private void loadTeams() {
        server.<List<String>>callRemote("teams").whenComplete((list, failure) -> {
            if (failure == null) {
                teams.getItems().setAll(list);
            }
        });
    }

    private void put(Row row) {
        List<Row> items = people.getItems();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).id() == row.id()) {
                items.set(i, row);
                return;
            }
        }
        items.add(row);
        people.scrollTo(row);
    }

    private void showErrors(Map<?, ?> errors) {
        errors.forEach((field, text) -> {
            Label label = switch (String.valueOf(field)) {
                case "name" -> nameError;
                case "age" -> ageError;
                default -> emailError; // email, primary: the form's one address
            };
            label.setText(String.valueOf(text));
        });
    }

    private void clearErrors() {
        nameError.setText("");
        ageError.setText("");
        emailError.setText("");
        status.getStyleClass().remove("problem");
    }

    private void problem(String text) {
        status.setText(text);
        if (!status.getStyleClass().contains("problem")) {
            status.getStyleClass().add("problem");
        }
    }

    private static String message(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RemoteCallException remote) {
            // the lab's error types are not on this client: show the type's simple name
            String type = remote.remoteType();
            return type.substring(type.lastIndexOf('.') + 1) + ": " + remote.remoteMessage();
        }
        return cause.getMessage();
    }
}
