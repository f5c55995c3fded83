package dev.jpb.internal.thin;

import dev.jpb.RemoteReference;
import dev.jpb.Referenceable;
import dev.jpb.thin.ThinController;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.UiBundleException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.layout.Pane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pushed bundle, loaded: its served files, its class loader, the scene graph FXMLLoader
 * built and the controller. Built by {@link #load}, which either yields a complete scene or
 * throws {@link UiBundleException} having left nothing behind. Confined to the JavaFX
 * Application Thread.
 */
final class LoadedBundle {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedBundle.class);

    final BundleUrls.Files files;
    final BundleClassLoader classLoader;
    final Map<String, Object> namespace;
    final Parent content;
    final Object controller;
    final Scene scene;
    private final Map<String, Binding> bindings = new LinkedHashMap<>(); // by path

    private LoadedBundle(BundleUrls.Files files, BundleClassLoader classLoader,
            Map<String, Object> namespace, Parent content, Object controller, Scene scene) {
        this.files = files;
        this.classLoader = classLoader;
        this.namespace = namespace;
        this.content = content;
        this.controller = controller;
        this.scene = scene;
    }

    /** The pushed controller, if the server may hold a reference to it. */
    Referenceable remoteController() {
        return controller instanceof Referenceable r ? r : null;
    }

    /**
     * Loads a bundle into a new scene whose root is {@code shell} around the content.
     *
     * @throws UiBundleException if anything in the bundle is wrong
     */
    static LoadedBundle load(String windowId, UiBundle bundle, RemoteReference server,
            ServerHandlers.Sink sink, Pane shell, double width, double height) {
        if (!bundle.resources().containsKey(bundle.document())) {
            throw new UiBundleException("the bundle's document " + bundle.document()
                    + " is not among its resources " + new TreeSet<>(bundle.resources().keySet()),
                    bundle.document());
        }
        for (String css : bundle.stylesheets()) {
            if (!bundle.resources().containsKey(css)) {
                throw new UiBundleException("stylesheet " + css + " is not in the bundle; add it"
                        + " with UiBundle.builder().resource(...)", css);
            }
        }
        if (bundle.hasCode()) {
            checkDigest(windowId, bundle);
        }
        Map<String, byte[]> served = new LinkedHashMap<>(bundle.resources());
        for (Map.Entry<String, byte[]> e : bundle.resources().entrySet()) {
            if (e.getKey().endsWith(".fxml")) {
                served.put(e.getKey(), FxmlRewriter.prepare(e.getKey(), e.getValue(),
                        bundle.resources().keySet()));
            }
        }
        BundleUrls.Files files = BundleUrls.register(served);
        try {
            BundleClassLoader loader = new BundleClassLoader("jpb-bundle-" + files.host,
                    bundle.classes(), files, LoadedBundle.class.getClassLoader());
            FXMLLoader fxml = new FXMLLoader(files.url(bundle.document()));
            fxml.setClassLoader(loader);
            Context context = new Context(server, windowId);
            fxml.setControllerFactory(type -> newController(type, sink, context));
            StepTiming.mark("load " + bundle.document());
            Object root = fxml.load();
            StepTiming.mark("loaded " + bundle.document());
            if (!(root instanceof Parent content)) {
                throw new UiBundleException(bundle.document() + "'s root is a "
                        + root.getClass().getName() + "; a window needs a Parent (a pane)",
                        bundle.document());
            }
            Object controller = fxml.getController();
            if (controller instanceof ThinController tc) {
                try {
                    tc.connected(context);
                } catch (RuntimeException e) {
                    throw new UiBundleException("the pushed controller "
                            + controller.getClass().getName() + " failed in connected(): " + e,
                            controller.getClass().getName());
                }
            }
            shell.getChildren().add(0, content);
            Scene scene = new Scene(shell, width > 0 ? width : -1, height > 0 ? height : -1);
            for (String css : bundle.stylesheets()) {
                scene.getStylesheets().add(files.url(css).toExternalForm());
            }
            StepTiming.mark("connected; css");
            shell.applyCss();
            StepTiming.mark("css applied");
            if (!files.missing.isEmpty()) {
                throw new UiBundleException("the bundle refers to "
                        + new TreeSet<>(files.missing) + ", which it does not contain",
                        new TreeSet<>(files.missing).first());
            }
            return new LoadedBundle(files, loader, fxml.getNamespace(), content, controller,
                    scene);
        } catch (UiBundleException e) {
            files.unregister();
            throw e;
        } catch (IOException | RuntimeException | LinkageError e) {
            files.unregister();
            throw new UiBundleException("cannot load " + bundle.document() + ": "
                    + describe(e), bundle.document());
        }
    }

    /** Adds a binding, replacing (and disposing) the one at the same path. */
    void bind(Binding binding) {
        Binding old = bindings.put(binding.path, binding);
        if (old != null) {
            old.dispose();
        }
    }

    /** Disposes the binding at {@code path}; returns whether there was one. */
    boolean unbind(String path) {
        Binding old = bindings.remove(path);
        if (old != null) {
            old.dispose();
        }
        return old != null;
    }

    /**
     * Stops serving the bundle's files and drops its bindings; its classes go once nothing
     * refers to them.
     */
    void dispose() {
        files.unregister();
        List<Binding> bound = new ArrayList<>(bindings.values());
        bindings.clear();
        bound.forEach(Binding::dispose);
    }

    private static void checkDigest(String windowId, UiBundle bundle) {
        String actual = UiBundle.digest(bundle.classes());
        if (!actual.equals(bundle.classesSha256())) {
            LOG.warn("window {}: refused a bundle whose classes have SHA-256 {}, not the {} it"
                    + " declares", windowId, actual, bundle.classesSha256());
            throw new UiBundleException("the bundle's classes have SHA-256 " + actual
                    + " but it declares " + bundle.classesSha256()
                    + "; build it with UiBundle.builder()", null);
        }
        LOG.info("window {}: running pushed code, {} classes {}, SHA-256 {} (checked)", windowId,
                bundle.classes().size(), new TreeSet<>(bundle.classes().keySet()), actual);
    }

    private static Object newController(Class<?> type, ServerHandlers.Sink sink,
            Context context) {
        if (type == ServerHandlers.class) {
            return new ServerHandlers(sink);
        }
        Object controller;
        try {
            controller = type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new UiBundleException("cannot create the pushed controller " + type.getName()
                    + " (it needs a public no-argument constructor): " + describe(e),
                    type.getName());
        }
        if (controller instanceof ThinController tc) {
            try {
                tc.created(context); // its first calls travel while the document loads
            } catch (RuntimeException e) {
                throw new UiBundleException("the pushed controller " + type.getName()
                        + " failed in created(): " + e, type.getName());
            }
        }
        return controller;
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c != t) {
                sb.append(": ");
            }
            sb.append(c.getMessage() != null ? c.getMessage() : c.getClass().getName());
            if (c.getCause() == c) {
                break;
            }
        }
        return sb.toString();
    }

    private record Context(RemoteReference server, String windowId)
            implements dev.jpb.thin.ThinContext {
    }
}
