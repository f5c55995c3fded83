package dev.jpb.internal.thin;

import static com.google.common.base.Preconditions.checkState;

import dev.jpb.CallContext;
import dev.jpb.Connection;
import dev.jpb.DeadReferenceException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCache;
import dev.jpb.RemoteReference;
import dev.jpb.cache.CachedList;
import dev.jpb.cache.CachedMap;
import dev.jpb.thin.CodeRefusedException;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.UiBundleException;
import dev.jpb.thin.WindowModality;
import dev.jpb.thin.WindowSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.collections.ObservableList;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The object a thin client hands the server ({@code root.callRemote("attach", display)}): its
 * {@code remote_} methods open, replace and close windows and read and write their controls.
 * They run on the JavaFX Application Thread (the client's executor is
 * {@code Platform::runLater}), one at a time in arrival order, and never block it. The wire
 * contract is docs/thin.md. Not API: servers use {@code dev.jpb.thin.RemoteDisplay}.
 */
public final class Display extends Referenceable {
    private static final Logger LOG = LoggerFactory.getLogger(Display.class);

    private final TrustPolicy trust;
    // written on the FX thread, read from any
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Listener listener;
    // how many bindings hold each copy (one copy per cacheable and connection); FX thread
    private final Map<RemoteCache, Integer> holds = new IdentityHashMap<>();
    private CompletableFuture<?> fetching = CompletableFuture.completedFuture(null); // FX thread

    /** What the embedding program hears about. */
    public interface Listener {
        /** A window was shown (also after a replacement). */
        default void shown(String windowId) {
        }

        /** The user closed a window; {@code remaining} are still open. */
        default void closedByUser(String windowId, int remaining) {
        }
    }

    /** Creates a display that runs pushed code as {@code trust} allows. */
    public Display(TrustPolicy trust, Listener listener) {
        this.trust = trust;
        this.listener = listener;
    }

    /**
     * Opens (or replaces the content and spec of) a window.
     *
     * @return the pushed controller if it is a {@link Referenceable}, else {@code null}
     * @throws UiBundleException if the bundle cannot be shown; the window stays as it was
     * @throws CodeRefusedException if the bundle carries code this client does not run
     */
    public Object remote_open(String windowId, WindowSpec spec, UiBundle bundle,
            RemoteReference controller) {
        onFxThread();
        StepTiming.mark("open " + windowId + " (bundle decoded, on the FX thread)");
        if (spec == null || bundle == null || windowId == null) {
            throw new UiBundleException("open(windowId, spec, bundle, controller): windowId,"
                    + " spec and bundle are required", null);
        }
        checkCode(bundle);
        Window w = windows.get(windowId);
        if (w == null) {
            w = new Window(windowId);
            Window owner = spec.owner() == null ? null : windows.get(spec.owner());
            if (spec.modality() == WindowModality.WINDOW_MODAL && spec.owner() == null) {
                throw new UiBundleException("window " + windowId + " is WINDOW_MODAL but has no"
                        + " owner; give one with WindowSpec.owner(id)", null);
            }
            if (spec.owner() != null && owner == null) {
                throw new UiBundleException("owner window " + spec.owner() + " is not open",
                        null);
            }
            LoadedBundle loaded = w.show(spec, bundle, controller, owner);
            Window opened = w;
            w.stage.setOnCloseRequest(e -> userClosed(opened));
            windows.put(windowId, w);
            return shown(windowId, loaded);
        }
        return shown(windowId, w.show(spec, bundle, controller, null));
    }

    /** Replaces the content of an open window; answers like {@link #remote_open}. */
    public Object remote_replace(String windowId, UiBundle bundle, RemoteReference controller) {
        onFxThread();
        Window w = open(windowId);
        if (bundle == null) {
            throw new UiBundleException("replace(windowId, bundle, controller): bundle is"
                    + " required", null);
        }
        checkCode(bundle);
        return shown(windowId, w.show(null, bundle, controller, null));
    }

    /** Closes a window; answers whether it was open. */
    public boolean remote_close(String windowId) {
        onFxThread();
        Window w = windows.remove(windowId);
        if (w == null) {
            return false;
        }
        w.close();
        return true;
    }

    /** Sets {@code "fxId.property"} of a window's control. */
    public void remote_set(String windowId, String path, Object value) {
        onFxThread();
        LoadedBundle b = open(windowId).bundle();
        Controls.set(windowId, b.namespace, b.content, path, value);
    }

    /**
     * Binds the items of a window's list or table ({@code "fxId.items"}) to a copy of the
     * server's {@code CacheableList} (its elements) or {@code CacheableMap} (its values, in
     * order), which {@code source} hands out. Completes once the control shows the copy's
     * state; from then on every change the owner makes appears, in order, until the content
     * is replaced, the window closed or the path unbound.
     *
     * @throws UiBundleException if there is no such control or it has no items
     */
    public CompletionStage<Void> remote_bindItems(String windowId, String path,
            RemoteReference source) {
        onFxThread();
        LoadedBundle b = open(windowId).bundle();
        ObservableList<Object> items = Controls.items(windowId, b.namespace, b.content,
                requirePath(path));
        return bind(windowId, b, path, source, copy -> {
            if (!(copy instanceof CachedList<?>) && !(copy instanceof CachedMap<?, ?>)) {
                throw new UiBundleException(path + " can follow a CacheableList or a"
                        + " CacheableMap, not a " + copy.getClass().getName(), path);
            }
            return Binding.items(path, copy, items);
        });
    }

    /**
     * Binds a property of a window's control ({@code "fxId.property"}) to the entry
     * {@code key} of a copy of the server's {@code CacheableMap}: the property takes the
     * entry's value, {@code null} while there is none. Completes as
     * {@link #remote_bindItems} does.
     *
     * @throws UiBundleException if there is no such control or writable property
     */
    public CompletionStage<Void> remote_bindEntry(String windowId, String path,
            RemoteReference source, Object key) {
        onFxThread();
        LoadedBundle b = open(windowId).bundle();
        Controls.checkWritable(windowId, b.namespace, b.content, requirePath(path));
        return bind(windowId, b, path, source, copy -> {
            if (!(copy instanceof CachedMap<?, ?> map)) {
                throw new UiBundleException(path + " can follow an entry of a CacheableMap,"
                        + " not of a " + copy.getClass().getName(), path);
            }
            return Binding.entry(path, map, key,
                    v -> Controls.set(windowId, b.namespace, b.content, path, v));
        });
    }

    /** Drops the binding of {@code "fxId.property"}; answers whether there was one. */
    public boolean remote_unbind(String windowId, String path) {
        onFxThread();
        return open(windowId).bundle().unbind(requirePath(path));
    }

    /** Reads {@code "fxId.property"} of a window's control. */
    public Object remote_get(String windowId, String path) {
        onFxThread();
        LoadedBundle b = open(windowId).bundle();
        return Controls.get(windowId, b.namespace, b.content, path);
    }

    /** The ids of the open windows. */
    public List<String> remote_windows() {
        onFxThread();
        return new ArrayList<>(windows.keySet());
    }

    /** Whether this client runs code pushed over the calling connection. */
    public boolean remote_acceptsCode() {
        return trust.allowsCode(CallContext.current().connection());
    }

    /** Marks every window as cut off from the server; call on the JavaFX Application Thread. */
    public void connectionLost() {
        connectionLost(false);
    }

    /**
     * Marks every window as cut off from the server, the banner saying whether the client is
     * reconnecting; call on the JavaFX Application Thread.
     */
    public void connectionLost(boolean reconnecting) {
        onFxThread();
        windows.values().forEach(w -> w.markLost(reconnecting));
    }

    /** Returns the ids of the open windows (any thread). */
    public List<String> windowIds() {
        return List.copyOf(windows.keySet());
    }

    /** Returns the stage of an open window (any thread; the stage itself is FX-confined). */
    public Optional<Stage> stage(String windowId) {
        Window w = windows.get(windowId);
        return w == null ? Optional.empty() : Optional.of(w.stage);
    }

    /** Returns the controller of the bundle a window shows, if any (FX thread). */
    public Optional<Object> controller(String windowId) {
        Window w = windows.get(windowId);
        return w == null || w.bundle() == null ? Optional.empty()
                : Optional.ofNullable(w.bundle().controller);
    }

    /** Closes every window (FX thread). */
    public void closeAll() {
        onFxThread();
        new ArrayList<>(windows.keySet()).forEach(this::remote_close);
    }

    /** Runs {@code action} for each open window's stage (FX thread). */
    public void forEachStage(Consumer<Stage> action) {
        windows.values().forEach(w -> action.accept(w.stage));
    }

    private CompletionStage<Void> bind(String windowId, LoadedBundle b, String path,
            RemoteReference source, Function<RemoteCache, Binding> make) {
        // One fetch at a time: a copy that failed to arrive is then the only one on its way,
        // so the owner has let go of it by the time the retry reaches it (see fetch).
        CompletableFuture<RemoteCache> fetched = fetching.handle((x, t) -> null)
                .thenCompose(x -> fetch(source, FETCH_ATTEMPTS));
        fetching = fetched;
        return fetched.thenApplyAsync(copy -> {
            source.release();
            Window w = windows.get(windowId);
            if (w == null || w.bundle() != b) {
                // Replaced or closed while the copy was on its way: the binding is moot.
                LOG.debug("window {}: {} was bound to content that is gone", windowId, path);
                unhold(copy, 0);
                return null;
            }
            Binding binding;
            try {
                binding = make.apply(copy);
            } catch (RuntimeException e) {
                unhold(copy, 0);
                throw e;
            }
            holds.merge(copy, 1, Integer::sum);
            binding.whenDisposed(() -> unhold(copy, 1));
            b.bind(binding);
            return null;
        }, FX);
    }

    private static final int FETCH_ATTEMPTS = 5;
    private static final Executor FX = r -> {
        if (Platform.isFxApplicationThread()) {
            r.run(); // the client's executor: already our turn
        } else {
            Platform.runLater(r);
        }
    };

    /**
     * Asks the server for the cacheable; asks again if its copy arrived just after this end
     * released it (see {@link CacheSource}), which fails only that answer. The release was
     * written before the new call, so the owner sends a fresh copy.
     */
    private CompletableFuture<RemoteCache> fetch(RemoteReference source, int attempts) {
        return source.<Object>callRemote("cacheable").handle((v, t) -> {
            Throwable cause = unwrap(t);
            boolean stale = cause instanceof DeadReferenceException
                    // decoded before this end's release of it ran: handed out, then released
                    || v instanceof RemoteCache c && !c.isObserved() && source.isConnected();
            if (stale && attempts > 1) {
                LOG.debug("copy released while the server sent it again; asking again");
                return fetch(source, attempts - 1);
            }
            if (stale) {
                return CompletableFuture.<RemoteCache>failedFuture(new UiBundleException(
                        "bind: the copy of the server's cacheable was released here each of the "
                        + FETCH_ATTEMPTS + " times it arrived; bind again", null));
            }
            if (cause != null) {
                return CompletableFuture.<RemoteCache>failedFuture(cause);
            }
            if (!(v instanceof RemoteCache copy)) {
                return CompletableFuture.<RemoteCache>failedFuture(new UiBundleException(
                        "bind: the server's source gave " + v + ", not a cacheable", null));
            }
            return CompletableFuture.completedFuture(copy);
        }).thenCompose(f -> f);
    }

    /** Lets go of {@code n} holds of {@code copy}; releases it when none is left. */
    private void unhold(RemoteCache copy, int n) {
        int left = holds.getOrDefault(copy, 0) - n;
        if (left > 0) {
            holds.put(copy, left);
            return;
        }
        holds.remove(copy);
        copy.release(); // the owner's stoppedObserving runs; idempotent
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String requirePath(String path) {
        if (path == null) {
            throw new UiBundleException("bind: the path fxId.property is required", null);
        }
        return path;
    }

    private Object shown(String windowId, LoadedBundle loaded) {
        listener.shown(windowId);
        return loaded.remoteController();
    }

    private void userClosed(Window w) {
        windows.remove(w.id, w);
        w.dispose();
        listener.closedByUser(w.id, windows.size());
    }

    private void checkCode(UiBundle bundle) {
        if (!bundle.hasCode()) {
            return;
        }
        Connection c = CallContext.current().connection();
        if (!trust.allowsCode(c)) {
            String why = trust.refusal(c);
            LOG.warn("refused a bundle with {} classes (SHA-256 {}): {}", bundle.classes().size(),
                    bundle.classesSha256(), why);
            throw new CodeRefusedException(why);
        }
    }

    private Window open(String windowId) {
        Window w = windowId == null ? null : windows.get(windowId);
        if (w == null) {
            throw new UiBundleException("window " + windowId + " is not open; open it with"
                    + " RemoteWindow.open(spec, bundle, controller)", null);
        }
        return w;
    }

    private static void onFxThread() {
        checkState(Platform.isFxApplicationThread(), "the display runs on the JavaFX"
                + " Application Thread (build the client with executor(Platform::runLater))");
    }
}
