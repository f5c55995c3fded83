package dev.jpb.examples.thin.pushed;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.thin.ThinContext;
import dev.jpb.thin.ThinController;
import java.util.List;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;

/**
 * The contact form's controller, pushed to the client as code: it validates locally (Save is
 * enabled only once a name is typed, with no round trip), saves through the server's
 * {@code ContactBackend}, and the server calls {@link #remote_update} to show everyone's
 * contacts. Runs on the client's JavaFX Application Thread; never blocks it.
 */
public class ContactForm extends Referenceable implements ThinController {
    @FXML
    private TextField name;
    @FXML
    private TextField email;
    @FXML
    private CheckBox subscribe;
    @FXML
    private ListView<String> contacts;
    @FXML
    private Button save;
    @FXML
    private Label status;
    private RemoteReference server;

    @Override
    public void connected(ThinContext context) {
        server = context.server();
        save.disableProperty().bind(name.textProperty().isEmpty());
    }

    @FXML
    void save() {
        status.setText("Saving...");
        server.callRemote("save", name.getText(), email.getText(), subscribe.isSelected())
                .whenComplete((list, failure) -> {
                    if (failure != null) {
                        status.setText("Not saved: " + failure.getCause().getMessage());
                    } else {
                        clear();
                    }
                });
    }

    @FXML
    void clear() {
        name.clear();
        email.clear();
        subscribe.setSelected(false);
    }

    /** Called by the server whenever the shared list changes. */
    public void remote_update(List<String> all, String message) {
        contacts.getItems().setAll(all);
        status.setText(message);
    }
}
