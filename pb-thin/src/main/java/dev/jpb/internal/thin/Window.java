package dev.jpb.internal.thin;

import dev.jpb.RemoteReference;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.UiEvent;
import dev.jpb.thin.WindowModality;
import dev.jpb.thin.WindowSpec;
import javafx.scene.control.Label;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pushed window: its stage, the bundle it shows, the server-side controller its handlers
 * call, and the banner that says the server is gone. Confined to the JavaFX Application Thread.
 */
final class Window implements ServerHandlers.Sink {
    static final String LOST_BANNER_ID = "jpb-connection-lost";
    static final String LOST_TEXT = "Connection to the server lost. Restart the client to"
            + " reconnect.";
    static final String RECONNECTING_TEXT = "Connection to the server lost. Reconnecting...";
    private static final Logger LOG = LoggerFactory.getLogger(Window.class);

    final String id;
    final Stage stage = new Stage();
    private WindowSpec spec;
    private LoadedBundle bundle;
    private RemoteReference server;
    private Label banner;
    private boolean lost;

    Window(String id) {
        this.id = id;
    }

    /** Loads the bundle; shows it in place of the current one only if it loaded completely. */
    LoadedBundle show(WindowSpec newSpec, UiBundle newBundle, RemoteReference controller,
            Window owner) {
        WindowSpec s = newSpec != null ? newSpec : spec;
        VBox shell = new VBox();
        Label newBanner = lostBanner();
        LoadedBundle loaded = LoadedBundle.load(id, newBundle, controller, this, shell,
                s.width(), s.height());
        // Above the content, not over it: the content gives up the banner's height.
        shell.getChildren().add(0, newBanner);
        VBox.setVgrow(loaded.content, Priority.ALWAYS);
        LoadedBundle old = bundle;
        bundle = loaded;
        server = controller;
        banner = newBanner;
        spec = s;
        stage.setTitle(s.title());
        if (!stage.isShowing() && old == null) {
            stage.initModality(modality(s.modality()));
            if (owner != null) {
                stage.initOwner(owner.stage);
            }
        }
        stage.setScene(loaded.scene);
        if (s.width() <= 0 || s.height() <= 0) {
            stage.sizeToScene();
        }
        stage.show();
        StepTiming.mark("shown " + id);
        if (old != null) {
            old.dispose();
        }
        // A push arrives only over a live connection: after a reconnection the new content
        // shows without the banner (the title was set again above).
        lost = false;
        return loaded;
    }

    LoadedBundle bundle() {
        return bundle;
    }

    void close() {
        stage.close();
        dispose();
    }

    void dispose() {
        if (bundle != null) {
            bundle.dispose();
            bundle = null;
        }
        server = null;
    }

    /** Shows that the server is gone: a banner above the disabled content. */
    void markLost() {
        markLost(false);
    }

    /**
     * Shows that the server is gone, with a banner saying whether the client is reconnecting
     * (then the server's next push replaces the content and the banner goes).
     */
    void markLost(boolean reconnecting) {
        lost = true;
        if (bundle != null) {
            bundle.content.setDisable(true);
            banner.setText(reconnecting ? RECONNECTING_TEXT : LOST_TEXT);
            banner.setVisible(true);
            if (!stage.getTitle().endsWith(" (disconnected)")) {
                stage.setTitle(stage.getTitle() + " (disconnected)");
            }
        }
    }

    @Override
    public void fire(String handler, Object source, String kind) {
        if (lost || bundle == null) {
            return;
        }
        UiEvent event = new UiEvent(id, handler, Controls.idOf(source), kind,
                Controls.values(bundle.content));
        RemoteReference target = server;
        if (target == null) {
            LOG.warn("window {}: #{} fired but the server pushed no controller for it", id,
                    handler);
            return;
        }
        target.callRemote(handler, event).whenComplete((r, t) -> {
            if (t != null) {
                LOG.warn("window {}: the server's controller failed on #{}: {}", id, handler,
                        t.getCause() != null ? t.getCause() : t);
            }
        });
    }

    private static Label lostBanner() {
        Label l = new Label(LOST_TEXT);
        l.setId(LOST_BANNER_ID);
        l.setStyle("-fx-background-color: #b00020; -fx-text-fill: white; -fx-padding: 8;"
                + " -fx-font-weight: bold;");
        l.setMaxWidth(Double.MAX_VALUE);
        l.setWrapText(true); // wraps at the window's width instead of being cut off
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.setVisible(false);
        l.managedProperty().bind(l.visibleProperty()); // takes no room until shown
        return l;
    }

    private static Modality modality(WindowModality m) {
        return switch (m) {
            case NONE -> Modality.NONE;
            case WINDOW_MODAL -> Modality.WINDOW_MODAL;
            case APPLICATION_MODAL -> Modality.APPLICATION_MODAL;
        };
    }
}
