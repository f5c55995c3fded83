package dev.jpb.thin.pushed;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.thin.ThinContext;
import dev.jpb.thin.ThinController;
import javafx.application.Platform;
import javafx.fxml.FXML;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

/** A pushed controller: saves through the server, and the server can call it. */
public class ContactController extends Referenceable implements ThinController {
    @FXML
    private TextField name;
    @FXML
    private Label status;
    private RemoteReference server;

    @Override
    public void connected(ThinContext context) {
        this.server = context.server();
        status.setText("connected to window " + context.windowId());
    }

    @FXML
    void save() {
        server.<String>callRemote("saved", name.getText())
                .thenAccept(answer -> status.setText(answer + Suffix.ON_FX.get()));
    }

    /** Called by the server: {@code gui.callRemote("show", text)}. */
    public String remote_show(String text) {
        status.setText(text);
        return "shown on " + (Platform.isFxApplicationThread() ? "fx" : "other") + " by "
                + getClass().getClassLoader().getName();
    }

    /** Called by the server: saves by waiting for the answer, which the FX thread refuses. */
    public String remote_saveAndWait(String text) {
        return server.<String>callRemote("saved", text).join();
    }

    /** Called by the server many times without waiting: appends to the status, in order. */
    public void remote_append(int i) {
        if (!Platform.isFxApplicationThread()) {
            throw new IllegalStateException("not on the JavaFX Application Thread");
        }
        status.setText(status.getText() + "," + i);
    }

    /** A helper class pushed with the controller. */
    enum Suffix {
        ON_FX;

        String get() {
            return Platform.isFxApplicationThread() ? " (fx thread)" : " (other thread)";
        }
    }
}
