package dev.jpb.examples.lab.ui.pushed;

import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.thin.ThinContext;
import dev.jpb.thin.ThinController;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
 * {@link ThinContext#server()}: rows arrive as lists of plain values (the thin client knows no
 * lab types), a refused edit comes back as a map of field to message, shown under that field.
 * Runs on the client's JavaFX Application Thread and never blocks it: every call is composed.
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
    private Label runNote;

    private RemoteReference server; // written once, in connected()
    private long editing; // the person in the form, 0 for a new one; FX thread only

    /** One table row: a person as the server sent it. */
    public record Row(long id, String name, int age, String email, String teams, String badge) {
        static Row of(List<?> values) {
            return new Row(((Number) values.get(0)).longValue(), (String) values.get(1),
                    ((Number) values.get(2)).intValue(), (String) values.get(3),
                    (String) values.get(4), (String) values.get(5));
        }
    }

    @Override
    public void connected(ThinContext context) {
        server = context.server();
        column(idColumn, Row::id);
        column(nameColumn, Row::name);
        column(ageColumn, Row::age);
        column(emailColumn, Row::email);
        column(teamsColumn, Row::teams);
        column(badgeColumn, Row::badge);
        people.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        for (Label error : List.of(nameError, ageError, emailError, teamNameError)) {
            error.managedProperty().bind(error.textProperty().isNotEmpty());
            error.visibleProperty().bind(error.textProperty().isNotEmpty());
        }
        save.disableProperty().bind(name.textProperty().isEmpty());
        delete.setDisable(true);
        people.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
            if (row != null) {
                edit(row);
            }
        });
        server.<List<List<Object>>>callRemote("people").whenComplete((rows, failure) -> {
            if (failure != null) {
                problem("Could not read the people: " + message(failure));
                return;
            }
            people.getItems().setAll(rows.stream().map(Row::of).toList());
            status.setText(rows.size() + " people");
        });
        loadTeams();
        server.<Map<String, Object>>callRemote("procedure").whenComplete((state, failure) -> {
            if (failure == null) {
                remote_showProcedure(state);
            }
        });
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
        // The procedure's steps are driven through the operator's perspective and followed by
        // every station through a Cacheable: this button calls it once that is wired.
        runNote.setText("The procedure is driven by the operator once login is in place.");
    }

    /**
     * Shows the procedure's state: its steps, the current one, the stations. Called once at
     * start with the server's answer; the seam where the Cacheable-driven updates arrive.
     */
    public void remote_showProcedure(Map<String, Object> state) {
        List<?> names = (List<?>) state.get("steps");
        int current = ((Number) state.get("current")).intValue();
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
        currentStep.setText("Current step: " + names.get(current) + " — " + state.get("about"));
        stations.getItems().setAll(((List<?>) state.get("stations")).stream()
                .map(String::valueOf).toList());
        runNote.setText(String.valueOf(state.get("note")));
        advance.setDisable(!Boolean.TRUE.equals(state.get("canAdvance")));
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
