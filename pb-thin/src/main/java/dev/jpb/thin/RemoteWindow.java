package dev.jpb.thin;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.cache.CacheableList;
import dev.jpb.cache.CacheableMap;
import dev.jpb.internal.thin.CacheSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One window of a thin client, by id, as the server drives it. Get one from
 * {@link RemoteDisplay#window(String)}. Properties are addressed as {@code "fxId.property"}:
 * {@code set("name.text", "Ada")}, {@code set("save.disable", true)},
 * {@code get("age.value")}, {@code items("list", List.of("a", "b"))}; or bound to the
 * server's state, {@code bind("people.items", cacheableList)}, so that they follow it with no
 * code on the client. Every method is asynchronous, never throws, and is carried out on the
 * client's JavaFX Application Thread in the order the calls were made (a {@code bind} takes
 * effect when its future completes: the client fetches the copy first). Thread-safe.
 */
public final class RemoteWindow {
    private final RemoteReference display;
    private final String windowId;

    RemoteWindow(RemoteReference display, String windowId) {
        this.display = display;
        this.windowId = windowId;
    }

    /** {@return this window's id} */
    public String id() {
        return windowId;
    }

    /**
     * Opens the window showing this bundle, or replaces its content and spec if it is open.
     *
     * @param spec the window's title, size, modality and owner
     * @param bundle the FXML document with its resources and, perhaps, controller classes
     * @param controller the server-side controller: every {@code on*="#name"} handler of a
     *     document without {@code fx:controller} calls its {@code remote_name(UiEvent)}; a
     *     pushed controller gets it as {@link ThinContext#server()}. May be {@code null}.
     * @return a future completed once the window shows, with the reference to the pushed
     *     controller when it is a {@link Referenceable} ({@code null} otherwise); failed with
     *     {@link UiBundleException} or {@link CodeRefusedException} if the bundle cannot be
     *     shown, the window then being left as it was
     */
    public CompletableFuture<RemoteReference> open(WindowSpec spec, UiBundle bundle,
            Referenceable controller) {
        return display.callRemote("open", windowId, requireNonNull(spec, "spec"),
                requireNonNull(bundle, "bundle"), controller);
    }

    /**
     * Replaces the content of the open window with this bundle (a new version of the UI,
     * without a restart); the previous bundle's classes are dropped. Answers like
     * {@link #open}; fails with {@link UiBundleException} if the window is not open.
     *
     * @param bundle the new content
     * @param controller the server-side controller, as for {@link #open}; may be {@code null}
     * @return a future completed as {@link #open}'s is
     */
    public CompletableFuture<RemoteReference> replace(UiBundle bundle, Referenceable controller) {
        return display.callRemote("replace", windowId, requireNonNull(bundle, "bundle"),
                controller);
    }

    /**
     * Closes the window; completes with whether it was open.
     *
     * @return a future completed with whether the window was open
     */
    public CompletableFuture<Boolean> close() {
        return display.callRemote("close", windowId);
    }

    /**
     * Sets a property of a control: {@code "fxId.property"} with a value of the property's
     * type ({@code String}, {@code Boolean}, a number, ...); {@code "fxId.items"} takes a list.
     * Fails with {@link UiBundleException} if there is no such control or property.
     *
     * @param path {@code "fxId.property"}
     * @param value the new value
     * @return a future completed once the client set the property
     */
    public CompletableFuture<Void> set(String path, Object value) {
        return display.callRemote("set", windowId, requireNonNull(path, "path"), value);
    }

    /**
     * Reads a property of a control ({@code "fxId.property"}), as a copyable value.
     *
     * @param path {@code "fxId.property"}
     * @param <T> the type of the value
     * @return a future completed with the value; failed with {@link UiBundleException} if there
     *     is no such control or property
     */
    public <T> CompletableFuture<T> get(String path) {
        return display.callRemote("get", windowId, requireNonNull(path, "path"));
    }

    /**
     * Enables or disables a control (its {@code disable} property, inverted).
     *
     * @param fxId the control's {@code fx:id}
     * @param enabled whether the control is enabled
     * @return a future completed as {@link #set}'s is
     */
    public CompletableFuture<Void> enable(String fxId, boolean enabled) {
        return set(fxId + ".disable", !enabled);
    }

    /**
     * Shows or hides a control (its {@code visible} property).
     *
     * @param fxId the control's {@code fx:id}
     * @param visible whether the control is visible
     * @return a future completed as {@link #set}'s is
     */
    public CompletableFuture<Void> visible(String fxId, boolean visible) {
        return set(fxId + ".visible", visible);
    }

    /**
     * Replaces the items of a list, combo box, choice box or table. A table takes rows as
     * {@code Map}s: a column without a cell value factory shows the entry named by its
     * {@code fx:id} (or, without one, by its text).
     *
     * @param fxId the control's {@code fx:id}
     * @param items the new items
     * @return a future completed as {@link #set}'s is
     */
    public CompletableFuture<Void> items(String fxId, List<?> items) {
        return set(fxId + ".items", requireNonNull(items, "items"));
    }

    /**
     * Binds the items of a list, combo box, choice box or table ({@code "fxId.items"}) to a
     * {@link CacheableList}: the control shows the list's elements (a table's rows as for
     * {@link #items}) and then every {@code add}, {@code set}, {@code remove} and {@code clear}
     * on it, in order, with no code on the client. The binding lasts until the window's
     * content is replaced, the window closes or {@link #unbind} is called; the client then
     * drops its copy and the list's {@code observerCount()} goes down. Binding the same path
     * again replaces the binding. One list bound in several windows of a client is one copy.
     *
     * @param path {@code "fxId.items"}
     * @param list the server's list
     * @return a future completed once the control shows the list's state; failed with
     *     {@link UiBundleException} if there is no such control or it has no items
     */
    public CompletableFuture<Void> bind(String path, CacheableList<?> list) {
        return display.callRemote("bindItems", windowId, requireNonNull(path, "path"),
                new CacheSource(requireNonNull(list, "list")));
    }

    /**
     * Binds the items of a list or table ({@code "fxId.items"}) to the values of a
     * {@link CacheableMap}, in the map's order: a {@code put} of a new key appends a row, of a
     * key it has replaces that row in place, a {@code remove} removes it. Otherwise as
     * {@link #bind(String, CacheableList)}.
     *
     * @param path {@code "fxId.items"}
     * @param map the server's map
     * @return a future completed once the control shows the map's values
     */
    public CompletableFuture<Void> bind(String path, CacheableMap<?, ?> map) {
        return display.callRemote("bindItems", windowId, requireNonNull(path, "path"),
                new CacheSource(requireNonNull(map, "map")));
    }

    /**
     * Binds a property of a control ({@code "fxId.property"}, e.g. {@code "status.text"}) to
     * one entry of a {@link CacheableMap}: the property takes the entry's value as
     * {@link #set} would, {@code null} while the map has no such key, and follows every
     * {@code put}, {@code remove} and {@code clear}. Otherwise as
     * {@link #bind(String, CacheableList)}.
     *
     * @param path {@code "fxId.property"}
     * @param map the server's map
     * @param key the entry's key (a value of an allowed type)
     * @return a future completed once the property shows the entry's value; failed with
     *     {@link UiBundleException} if there is no such control or writable property
     */
    public CompletableFuture<Void> bind(String path, CacheableMap<?, ?> map, Object key) {
        return display.callRemote("bindEntry", windowId, requireNonNull(path, "path"),
                new CacheSource(requireNonNull(map, "map")), key);
    }

    /**
     * Drops the binding of {@code path} (the control keeps what it shows); completes with
     * whether there was one.
     *
     * @param path the path given to {@code bind}
     * @return a future completed with whether the path was bound
     */
    public CompletableFuture<Boolean> unbind(String path) {
        return display.callRemote("unbind", windowId, requireNonNull(path, "path"));
    }
}
