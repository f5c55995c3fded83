package dev.jpb.thin;

/**
 * Implemented by a pushed {@code fx:controller} that wants to talk to the server. The client
 * calls {@link #connected} on the JavaFX Application Thread once the FXML is loaded and the
 * {@code @FXML} fields are injected (after {@code initialize()}), before the window shows. A
 * controller that also extends {@link dev.jpb.Referenceable} is handed to the server, which
 * calls its {@code remote_} methods ({@code gui.callRemote("show")}); those run on the JavaFX
 * Application Thread too, in arrival order.
 *
 * <p>A controller whose first screen needs data from the server asks for it in
 * {@link #created}, which runs as soon as FXMLLoader made the controller, before it builds the
 * rest of the document: the answer then travels while the document loads and the window
 * opens, and is shown once {@link #connected} has run.
 *
 * <p>Never block that thread: compose the futures {@code callRemote} returns
 * ({@code server.callRemote("save", x).thenAccept(r -> status.setText(...))}); their callbacks
 * run on the JavaFX Application Thread as well.
 */
public interface ThinController {
    /**
     * Hands the controller its context; called once, on the JavaFX Application Thread.
     *
     * @param context the server-side object and the window id of this controller
     */
    void connected(ThinContext context);

    /**
     * Hands the controller its context as soon as it exists: before FXMLLoader builds the
     * rest of the document, so before {@code initialize()}, the {@code @FXML} fields are still
     * null. Start the calls whose answers the first screen needs here; compose their futures
     * (their callbacks run on the JavaFX Application Thread after {@link #connected}). Called
     * once, on the JavaFX Application Thread, with the context {@link #connected} gets.
     * Default: nothing.
     *
     * @param context the server-side object and the window id of this controller
     */
    default void created(ThinContext context) {
    }
}
