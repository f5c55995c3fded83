package dev.jpb.thin;

import java.util.List;
import java.util.concurrent.Executor;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * The jar's warm-up of JavaFX's controls, while the client connects, does its TLS handshake
 * and logs in: on the FX thread, idle until the server pushes a window, a scene that is never
 * shown gets the common controls (labels, buttons, text fields, a table, a list), styled by the
 * default stylesheet and laid out, so that the user agent stylesheet is loaded and the skins'
 * and CSS engine's code has run once before the first pushed window needs them. In steps, each
 * handed to {@code Platform.runLater} when the one before ended, so that what the connection
 * hands the FX thread meanwhile (the login's answers, the pushed window) waits for one step at
 * most. Off with {@code -D}{@value #PROPERTY}{@code =false}.
 */
final class FxWarmUp {
    static final String PROPERTY = "jpb.thin.warmup";

    private FxWarmUp() {
    }

    /** Queues the warm-up on {@code fx} (the client's FX executor), unless it is off. */
    static void start(Executor fx) {
        start(fx, () -> { });
    }

    /**
     * Queues the warm-up on {@code fx} unless it is off; {@code done} runs on the FX thread
     * after its last step.
     *
     * @return whether the warm-up was queued
     */
    static boolean start(Executor fx, Runnable done) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return false;
        }
        List<Runnable> steps = List.of(
                () -> styled(new VBox(new Label("warm-up"))),
                () -> styled(new VBox(new HBox(new Button("warm-up"), new CheckBox("warm-up")),
                        new TextField("warm-up"))),
                FxWarmUp::table,
                () -> styled(new VBox(new ListView<>(FXCollections.observableArrayList(
                        "one", "two", "three")))));
        fx.execute(() -> step(steps, 0, done));
        return true;
    }

    private static void step(List<Runnable> steps, int i, Runnable done) {
        try {
            steps.get(i).run();
        } catch (RuntimeException e) {
            // a warm-up only: the pushed window loads as it would have
        }
        if (i + 1 < steps.size()) {
            Platform.runLater(() -> step(steps, i + 1, done));
        } else {
            done.run();
        }
    }

    private static void table() {
        TableView<Integer> table = new TableView<>();
        for (int c = 0; c < 3; c++) {
            TableColumn<Integer, Object> column = new TableColumn<>("c" + c);
            column.setCellValueFactory(v -> new ReadOnlyObjectWrapper<>(v.getValue()));
            table.getColumns().add(column);
        }
        table.setFixedCellSize(24);
        for (int r = 0; r < 40; r++) {
            table.getItems().add(r);
        }
        styled(new VBox(table));
    }

    private static void styled(Parent root) {
        Scene scene = new Scene(root, 600, 400);
        root.applyCss();
        root.layout();
        scene.setRoot(new VBox()); // let go of the controls
    }
}
