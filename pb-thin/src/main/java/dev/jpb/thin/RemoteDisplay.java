package dev.jpb.thin;

import static java.util.Objects.requireNonNull;

import dev.jpb.RemoteReference;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The server's handle on a thin client's display: the reference a thin client passes to
 * {@code root.callRemote("attach", display)}. Wrap it and push windows:
 *
 * <pre>{@code
 * public CompletableFuture<Void> remote_attach(RemoteReference display) {
 *     RemoteWindow form = RemoteDisplay.of(display).window("form");
 *     return form.open(WindowSpec.titled("Contact").size(420, 300), bundle, controller)
 *             .thenAccept(pushed -> { });
 * }
 * }</pre>
 *
 * <p>Every method is asynchronous and never throws: failures (a {@link UiBundleException}, a
 * {@link CodeRefusedException}, a lost connection) arrive through the returned future. The
 * client runs the calls one at a time, in the order they were made. Thread-safe.
 */
public final class RemoteDisplay {
    private final RemoteReference display;

    private RemoteDisplay(RemoteReference display) {
        this.display = display;
    }

    /**
     * Wraps the display reference a thin client sent.
     *
     * @param display the reference passed to the server's {@code remote_attach}
     * @return the display
     */
    public static RemoteDisplay of(RemoteReference display) {
        return new RemoteDisplay(requireNonNull(display, "display"));
    }

    /**
     * Returns the window with this id (it need not be open yet).
     *
     * @param windowId the window's id, chosen by the server
     * @return the window
     */
    public RemoteWindow window(String windowId) {
        return new RemoteWindow(display, requireNonNull(windowId, "windowId"));
    }

    /** {@return the ids of the windows open on the client} */
    public CompletableFuture<List<String>> windows() {
        return display.callRemote("windows");
    }

    /**
     * Returns whether the client would run pushed code from this server (see
     * {@link CodeRefusedException}); a server may then push a server-side-controller bundle
     * instead.
     *
     * @return a future completed with whether the client accepts pushed code
     */
    public CompletableFuture<Boolean> acceptsCode() {
        return display.callRemote("acceptsCode");
    }

    /** {@return the wrapped reference} */
    public RemoteReference reference() {
        return display;
    }
}
