package dev.jpb.examples.thin;

import dev.jpb.Referenceable;
import dev.jpb.thin.RemoteWindow;
import dev.jpb.thin.UiEvent;
import java.util.concurrent.CompletableFuture;

/**
 * The server-side controller of one client's form: the pushed FXML's {@code onAction="#save"}
 * arrives here as {@code remote_save(event)}, with the form's values in the event. Nothing of
 * this class runs on the client.
 */
public final class FormController extends Referenceable {
    private final ContactBook book;
    private final RemoteWindow window;
    private final String client;

    FormController(ContactBook book, RemoteWindow window, String client) {
        this.book = book;
        this.window = window;
        this.client = client;
    }

    /** The Save button: validate, add to the shared book, clear the form. */
    public CompletableFuture<Void> remote_save(UiEvent event) {
        String name = event.text("name").strip();
        String email = event.text("email").strip();
        if (name.isEmpty()) {
            return window.set("status.text", "Please enter a name first");
        }
        boolean news = Boolean.TRUE.equals(event.value("subscribe"));
        book.add(ThinServer.contact(name, email, news), client);
        return window.set("name.text", "").thenCompose(v -> window.set("email.text", ""));
    }

    /** The Clear button. */
    public CompletableFuture<Void> remote_clear(UiEvent event) {
        return window.set("name.text", "")
                .thenCompose(v -> window.set("email.text", ""))
                .thenCompose(v -> window.set("subscribe.selected", false));
    }
}
