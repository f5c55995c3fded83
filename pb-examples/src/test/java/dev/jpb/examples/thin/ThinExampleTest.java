package dev.jpb.examples.thin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import dev.jpb.examples.thin.pushed.ContactForm;
import dev.jpb.server.PbServer;
import dev.jpb.thin.ThinClient;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

@Timeout(60)
class ThinExampleTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void fxUp() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void twoClientsSeeEachOthersEditsWithAServerSideController() throws Exception {
        // Bob connects once Alice's form is up, so the server numbers them 1 and 2.
        try (PbServer server = ThinServer.start("127.0.0.1", 0, ThinServer.Mode.SERVER);
                ThinClient alice = ThinClient.builder().connect("127.0.0.1", server.port())) {
            Stage a = form(alice);
            try (ThinClient bob = ThinClient.builder().connect("127.0.0.1", server.port())) {
                Stage b = form(bob);
                assertThat(fx(() -> alice.controller("contact").orElseThrow().getClass()
                        .getName())).isEqualTo("dev.jpb.internal.thin.ServerHandlers");

                fillAndSave(a, "Ada Lovelace", "ada@example.org", true);
                awaitContacts(b, "Ada Lovelace <ada@example.org> (newsletter)");
                awaitStatus(b, "Ada Lovelace saved by client 1");
                fillAndSave(b, "Grace Hopper", "grace@example.org", false);
                awaitContacts(a, "Ada Lovelace <ada@example.org> (newsletter)",
                        "Grace Hopper <grace@example.org>");
                // The server cleared the saver's form.
                await().atMost(WAIT).until(() -> fx(() -> text(b, "name")).isEmpty());
                screenshot(a.getScene(), "thin-example-server-mode");
            }
        }
    }

    @Test
    void twoClientsSeeEachOthersEditsWithPushedCode() throws Exception {
        try (PbServer server = ThinServer.start("127.0.0.1", 0, ThinServer.Mode.CODE);
                ThinClient alice = ThinClient.builder().allowCodeFromLocalhost(true)
                        .connect("127.0.0.1", server.port())) {
            Stage a = form(alice);
            try (ThinClient bob = ThinClient.builder().allowCodeFromLocalhost(true)
                    .connect("127.0.0.1", server.port())) {
                Stage b = form(bob);
                Object controller = fx(() -> alice.controller("contact").orElseThrow());
                assertThat(controller.getClass().getName()).isEqualTo(ContactForm.class.getName());
                assertThat(controller.getClass().getClassLoader().getName())
                        .startsWith("jpb-bundle-");
                // Local validation by the pushed code: Save is off until a name is typed.
                assertThat(fx(() -> lookup(a, "save", Button.class).isDisabled())).isTrue();

                fillAndSave(a, "Ada Lovelace", "ada@example.org", true);
                awaitContacts(b, "Ada Lovelace <ada@example.org> (newsletter)");
                fillAndSave(b, "Grace Hopper", "grace@example.org", false);
                awaitContacts(a, "Ada Lovelace <ada@example.org> (newsletter)",
                        "Grace Hopper <grace@example.org>");
                awaitStatus(a, "Grace Hopper saved by client 2");
                screenshot(a.getScene(), "thin-example-code-mode");
            }
        }
    }

    @Test
    void overTlsAPinningClientRunsThePushedCodeAndAPlaintextOneIsRefused(@TempDir Path dir)
            throws Exception {
        TlsIdentity identity = ThinServer.identity(dir);
        assertThat(ThinServer.identity(dir).fingerprint()).isEqualTo(identity.fingerprint());
        try (PbServer server = ThinServer.start("127.0.0.1", 0, ThinServer.Mode.CODE, identity);
                ThinClient pinned = ThinClient.builder().pin(identity.fingerprint())
                        .connect("127.0.0.1", server.port())) {
            // no --allow-code-from-localhost: the pin alone makes the server trusted
            Stage s = form(pinned);
            assertThat(fx(() -> pinned.controller("contact").orElseThrow().getClass()
                    .getName())).isEqualTo(ContactForm.class.getName());
            fillAndSave(s, "Ada Lovelace", "ada@example.org", true);
            awaitContacts(s, "Ada Lovelace <ada@example.org> (newsletter)");

            try (ThinClient trusting = ThinClient.builder()
                    .trustCertificates(dir.resolve("server.pem"))
                    .connect("localhost", server.port())) {
                awaitContacts(form(trusting), "Ada Lovelace <ada@example.org> (newsletter)");
            }
            assertThatThrownBy(() -> ThinClient.builder().connect("127.0.0.1", server.port()))
                    .isInstanceOf(TlsHandshakeException.class)
                    .hasMessageContaining("speaks TLS");
        }
    }

    @Test
    void aClientThatRunsNoPushedCodeGetsTheServerSideForm() throws Exception {
        try (PbServer server = ThinServer.start("127.0.0.1", 0, ThinServer.Mode.CODE);
                ThinClient careful = ThinClient.builder().connect("127.0.0.1", server.port())) {
            Stage s = form(careful);
            assertThat(fx(() -> careful.controller("contact").orElseThrow().getClass()
                    .getName())).isEqualTo("dev.jpb.internal.thin.ServerHandlers");
            fillAndSave(s, "Ada Lovelace", "", false);
            awaitContacts(s, "Ada Lovelace <>");
        }
    }

    private static Stage form(ThinClient client) throws Exception {
        assertThat(client.attached().get(WAIT.toSeconds(), TimeUnit.SECONDS).toString())
                .startsWith("pushed the form");
        await().atMost(WAIT).until(() -> client.window("contact").map(Stage::isShowing)
                .orElse(false));
        Stage stage = client.window("contact").orElseThrow();
        assertThat(fx(stage::getTitle)).isEqualTo("Contact book");
        return stage;
    }

    /** Types into the form and presses Save, as a user would (through the FX event path). */
    private static void fillAndSave(Stage stage, String name, String email, boolean news)
            throws Exception {
        fx(() -> {
            lookup(stage, "name", TextField.class).setText(name);
            lookup(stage, "email", TextField.class).setText(email);
            lookup(stage, "subscribe", CheckBox.class).setSelected(news);
            lookup(stage, "save", Button.class).fire();
            return null;
        });
    }

    private static void awaitContacts(Stage stage, String... expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                List.copyOf(lookup(stage, "contacts", ListView.class).getItems())))
                .containsExactly((Object[]) expected));
    }

    private static void awaitStatus(Stage stage, String expected) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(fx(() ->
                lookup(stage, "status", Label.class).getText())).isEqualTo(expected));
    }

    private static String text(Stage stage, String id) {
        return lookup(stage, id, TextField.class).getText();
    }

    private static <T> T lookup(Stage stage, String id, Class<T> type) {
        return type.cast(stage.getScene().getRoot().lookup("#" + id));
    }

    private static <T> T fx(Supplier<T> action) throws Exception {
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

    /** Saves the scene as target/screenshots/NAME.png (docs/thin-client.png is one of them). */
    private static void screenshot(Scene scene, String name) throws Exception {
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
        Path dir = Files.createDirectories(Path.of("target", "screenshots"));
        ImageIO.write(out, "png", dir.resolve(name + ".png").toFile());
        assertThat(Files.size(dir.resolve(name + ".png"))).isGreaterThan(2000);
    }
}
