package dev.jpb.thin;

import static org.awaitility.Awaitility.await;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.server.PbServer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.testfx.api.FxToolkit;

/** A real jpb server with a root that thin clients attach to, and JavaFX helpers. */
final class ThinTestSupport {
    static final Duration WAIT = Duration.ofSeconds(20);

    private ThinTestSupport() {
    }

    /** Starts the (Monocle, headless) JavaFX toolkit once. */
    static void startFx() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** A root whose attach hands each display to the test. */
    static final class AttachRoot extends Root {
        final LinkedBlockingQueue<RemoteReference> displays = new LinkedBlockingQueue<>();

        public String remote_attach(RemoteReference display) {
            displays.add(display);
            return "attached";
        }

        RemoteDisplay next() throws InterruptedException {
            RemoteReference d = displays.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (d == null) {
                throw new AssertionError("no thin client attached within " + WAIT);
            }
            return RemoteDisplay.of(d);
        }
    }

    static PbServer server(Root root) {
        return PbServer.builder().root(root).bind("127.0.0.1", 0)
                .register(ThinTypes.classes()).build().start();
    }

    /** The contact form with its include, stylesheet and image: a server-side controller. */
    static UiBundle.Builder form() {
        return UiBundle.builder()
                .classpath(ThinTestSupport.class, "form.fxml", "header.fxml", "form.css",
                        "logo.png")
                .document("form.fxml").stylesheet("form.css");
    }

    /** Runs on the FX thread and waits for the result. */
    static <T> T fx(Supplier<T> action) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(action.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static <T extends Node> T node(Stage stage, String fxId, Class<T> type) throws Exception {
        return fx(() -> lookup(stage, fxId, type));
    }

    /** Finds a node by fx:id; on the FX thread only. */
    static <T extends Node> T lookup(Stage stage, String fxId, Class<T> type) {
        return type.cast(stage.getScene().getRoot().lookup("#" + fxId));
    }

    static Stage awaitWindow(ThinClient client, String id) {
        await().atMost(WAIT).until(() -> client.window(id).map(Stage::isShowing).orElse(false));
        return client.window(id).orElseThrow();
    }

    /** Saves a snapshot of the scene as target/screenshots/NAME.png and returns the path. */
    static Path screenshot(Scene scene, String name) throws Exception {
        WritableImage image = fx(() -> scene.snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader px = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, px.getArgb(x, y));
            }
        }
        Path dir = Path.of("target", "screenshots");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            ImageIO.write(out, "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
