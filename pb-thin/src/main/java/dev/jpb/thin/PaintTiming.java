package dev.jpb.thin;

import dev.jpb.internal.thin.StepTiming;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

/**
 * The jar's timing report, on with {@code -D}{@value #PROPERTY}{@code =true}: prints when the
 * first login succeeded and, each time a table or list of a pushed window is laid out with a
 * new number of items, that number, so a benchmark can time "first paint with every row"
 * from outside the process. Each line gives the JVM's uptime, the time since the login, the
 * wall clock (epoch milliseconds, to compare with the launching process's clock) and the CPU
 * time the process used. Lines start with {@code jpb-thin: timing:}.
 */
final class PaintTiming {
    static final String PROPERTY = "jpb.thin.timing";

    private final PrintStream out;
    private volatile long loginUptime = -1; // written once, by the login's callback
    // what each watched control showed last; FX thread only
    private final Map<Node, Integer> shownItems = new IdentityHashMap<>();
    private final Map<Scene, Boolean> watched = new IdentityHashMap<>(); // FX thread only

    PaintTiming(PrintStream out) {
        this.out = out;
    }

    /** Whether the report is on in this JVM. */
    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Notes the first successful login (any thread). */
    void loggedIn() {
        loginUptime = ThinClient.uptimeMillis();
        out.println("jpb-thin: timing: logged in " + loginUptime + " ms after start, epoch "
                + System.currentTimeMillis() + ", " + ThinClient.cpuMillis() + " ms of CPU");
    }

    /** Watches the tables and lists of every showing stage's scene (FX thread). */
    void windowShown() {
        for (javafx.stage.Window w : javafx.stage.Window.getWindows()) {
            if (w instanceof Stage stage && stage.isShowing() && stage.getScene() != null
                    && watched.put(stage.getScene(), Boolean.TRUE) == null) {
                watch(stage);
            }
        }
    }

    private void watch(Stage stage) {
        Scene scene = stage.getScene();
        for (Node n : scene.getRoot().lookupAll(".table-view")) {
            if (n instanceof TableView<?> t) {
                t.getItems().addListener((javafx.collections.ListChangeListener<Object>) c ->
                        StepTiming.mark("#" + t.getId() + " holds " + t.getItems().size()
                                + " items"));
            }
        }
        scene.addPostLayoutPulseListener(() -> {
            List<Node> controls = new ArrayList<>(
                    scene.getRoot().lookupAll(".table-view"));
            controls.addAll(scene.getRoot().lookupAll(".list-view"));
            for (Node n : controls) {
                ObservableList<?> items = n instanceof TableView<?> t ? t.getItems()
                        : n instanceof ListView<?> l ? l.getItems() : null;
                int size = items == null ? 0 : items.size();
                Integer before = shownItems.put(n, size);
                if (size > 0 && (before == null || before != size)) {
                    report(stage.getTitle(), n.getId(), size);
                }
            }
        });
    }

    private void report(String title, String id, int size) {
        long uptime = ThinClient.uptimeMillis();
        long login = loginUptime;
        out.println("jpb-thin: timing: \"" + title + "\" #" + id + " laid out with " + size
                + " items " + uptime + " ms after start, "
                + (login < 0 ? "no login" : (uptime - login) + " ms after login") + ", epoch "
                + System.currentTimeMillis() + ", " + ThinClient.cpuMillis() + " ms of CPU");
    }
}
