package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static dev.jpb.thin.ThinTestSupport.awaitWindow;
import static dev.jpb.thin.ThinTestSupport.form;
import static dev.jpb.thin.ThinTestSupport.fx;
import static dev.jpb.thin.ThinTestSupport.lookup;
import static dev.jpb.thin.ThinTestSupport.node;
import static dev.jpb.thin.ThinTestSupport.screenshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Referenceable;
import dev.jpb.server.PbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;

@Timeout(60)
class ServerControllerTest {
    /** The server-side controller: records every event the pushed form sends. */
    public static final class Recorder extends Referenceable {
        final LinkedBlockingQueue<UiEvent> events = new LinkedBlockingQueue<>();

        public String remote_save(UiEvent event) {
            events.add(event);
            return "saved";
        }

        public void remote_clear(UiEvent event) {
            events.add(event);
        }

        UiEvent next() throws InterruptedException {
            UiEvent e = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(e).as("an event reached the server controller").isNotNull();
            return e;
        }
    }

    private final ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
    private final Recorder recorder = new Recorder();
    private PbServer server;
    private ThinClient client;
    private RemoteDisplay display;

    @BeforeAll
    static void fxUp() throws Exception {
        ThinTestSupport.startFx();
    }

    @BeforeEach
    void connect() throws Exception {
        server = ThinTestSupport.server(root);
        client = ThinClient.builder().connect("127.0.0.1", server.port());
        display = root.next();
    }

    @AfterEach
    void close() {
        client.close();
        server.close();
    }

    private Stage openForm() throws Exception {
        display.window("form").open(WindowSpec.titled("Contact").size(460, 400), form().build(),
                recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return awaitWindow(client, "form");
    }

    @Test
    void pushedFormAppearsWithItsControlsIncludeStylesheetAndImage() throws Exception {
        Stage stage = openForm();

        assertThat(fx(stage::getTitle)).isEqualTo("Contact");
        assertThat(fx(() -> stage.getScene().getWidth())).isEqualTo(460);
        assertThat(fx(() -> stage.getScene().getHeight())).isEqualTo(400);
        assertThat(node(stage, "name", TextField.class)).isNotNull();
        assertThat(node(stage, "email", TextField.class)).isNotNull();
        assertThat(node(stage, "subscribe", CheckBox.class).getText())
                .isEqualTo("Send me the newsletter");
        assertThat(node(stage, "save", Button.class).getText()).isEqualTo("Save");
        // From header.fxml (fx:include) and logo.png, both served from the bundle:
        assertThat(node(stage, "title", Label.class).getText()).isEqualTo("Contact");
        ImageView logo = node(stage, "logo", ImageView.class);
        assertThat(fx(() -> logo.getImage().isError())).isFalse();
        assertThat(fx(() -> logo.getImage().getWidth())).isEqualTo(48);
        // form.css: the title is 22px bold, the form padded by 16.
        assertThat(fx(() -> lookup(stage, "title", Label.class).getFont().getSize()))
                .isEqualTo(22);
        // the window's shell holds the (hidden) connection-lost banner, then the content
        VBox form = (VBox) fx(() -> stage.getScene().getRoot().getChildrenUnmodifiable().get(1));
        assertThat(fx(() -> form.getPadding().getTop())).isEqualTo(16);

        Path shot = screenshot(stage.getScene(), "server-controller-form");
        assertThat(Files.size(shot)).isGreaterThan(2000);
    }

    @Test
    void clickingAPushedButtonCallsTheServerControllerWithTheFormsValues() throws Exception {
        Stage stage = openForm();
        FxRobot robot = new FxRobot();
        robot.clickOn("#name").write("Ada Lovelace");
        robot.clickOn("#email").write("ada@example.org");
        robot.clickOn("#subscribe");
        robot.clickOn("#save");

        UiEvent event = recorder.next();
        assertThat(event.windowId()).isEqualTo("form");
        assertThat(event.handler()).isEqualTo("save");
        assertThat(event.source()).isEqualTo("save");
        assertThat(event.kind()).isEqualTo("ACTION");
        assertThat(event.text("name")).isEqualTo("Ada Lovelace");
        assertThat(event.text("email")).isEqualTo("ada@example.org");
        assertThat(event.value("subscribe")).isEqualTo(true);
        assertThat(event.values()).containsKey("contacts").doesNotContainKey("save");

        robot.clickOn("#clear");
        assertThat(recorder.next().handler()).isEqualTo("clear");
        screenshot(stage.getScene(), "server-controller-typed");
    }

    @Test
    void theServersSetEnableVisibleAndItemsShowUp() throws Exception {
        Stage stage = openForm();
        RemoteWindow w = display.window("form");
        w.set("status.text", "Saved by the server").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        w.set("name.text", "Grace Hopper").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        w.enable("save", false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        w.visible("clear", false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        w.items("contacts", List.of("Ada", "Grace", "Barbara")).get(WAIT.toSeconds(),
                TimeUnit.SECONDS);

        assertThat(node(stage, "status", Label.class).getText()).isEqualTo("Saved by the server");
        assertThat(fx(() -> lookup(stage, "name", TextField.class).getText()))
                .isEqualTo("Grace Hopper");
        assertThat(fx(() -> lookup(stage, "save", Button.class).isDisabled())).isTrue();
        assertThat(fx(() -> lookup(stage, "clear", Button.class).isVisible())).isFalse();
        assertThat(fx(() -> List.copyOf(lookup(stage, "contacts", ListView.class).getItems())))
                .containsExactly("Ada", "Grace", "Barbara");
        assertThat(w.<String>get("name.text").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo("Grace Hopper");
        assertThat(w.<Boolean>get("save.disabled").get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isTrue();
        screenshot(stage.getScene(), "server-set");
    }

    @Test
    void theServerReplacesAWindowsContentInPlace() throws Exception {
        Stage stage = openForm();
        String v2 = new String(ThinTestSupport.class.getResourceAsStream("form.fxml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("text=\"Save\"", "text=\"Save v2\"");
        UiBundle second = form().document("form.fxml", v2).build();
        display.window("form").replace(second, recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(client.window("form")).containsSame(stage);
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(node(stage, "save", Button.class).getText()).isEqualTo("Save v2"));
        new FxRobot().clickOn("#save");
        assertThat(recorder.next().handler()).isEqualTo("save");
    }

    @Test
    void severalWindowsWithModalityOpenAndClose() throws Exception {
        Stage main = openForm();
        RemoteWindow dialog = display.window("dialog");
        dialog.open(WindowSpec.titled("Confirm").modality(WindowModality.WINDOW_MODAL)
                .owner("form"), form().build(), recorder).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Stage d = awaitWindow(client, "dialog");

        assertThat(fx(d::getModality)).isEqualTo(Modality.WINDOW_MODAL);
        assertThat(fx(d::getOwner)).isSameAs(main);
        assertThat(fx(() -> d.getScene().getWidth())).isGreaterThan(100);
        assertThat(display.windows().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .containsExactlyInAnyOrder("form", "dialog");

        assertThat(dialog.close().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(fx(d::isShowing)).isFalse();
        assertThat(dialog.close().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();
        assertThat(display.windows().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .containsExactly("form");
    }

    @Test
    void losingTheServerShowsItInTheWindow() throws Exception {
        Stage stage = openForm();
        server.close();

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(node(stage, "jpb-connection-lost", Label.class).isVisible()).isTrue();
            assertThat(fx(stage::getTitle)).isEqualTo("Contact (disconnected)");
            assertThat(fx(() -> lookup(stage, "save", Button.class).isDisabled())).isTrue();
        });
        // The banner wraps within the window and sits above the form, covering none of it.
        fx(() -> {
            stage.getScene().getRoot().layout();
            Label banner = lookup(stage, "jpb-connection-lost", Label.class);
            javafx.geometry.Bounds b = banner.localToScene(banner.getBoundsInLocal());
            Label title = lookup(stage, "title", Label.class);
            javafx.geometry.Bounds t = title.localToScene(title.getBoundsInLocal());
            assertThat(b.getMaxX()).isLessThanOrEqualTo(stage.getScene().getWidth());
            assertThat(b.getMaxY()).isLessThanOrEqualTo(t.getMinY());
            assertThat(banner.getHeight()).isGreaterThanOrEqualTo(banner.prefHeight(
                    banner.getWidth()) - 0.5);
            return null;
        });
        screenshot(stage.getScene(), "connection-lost");
    }

    @Test
    void aReconnectingClientAttachesAgainAndTheNewPushRemovesTheBanner() throws Exception {
        server.close();
        server = ThinTestSupport.server(root);
        ThinClient again = ThinClient.builder()
                .reconnect(Duration.ofMillis(100), Duration.ofMillis(500))
                .connect("127.0.0.1", server.port());
        try {
            RemoteDisplay first = root.next();
            first.window("form").open(WindowSpec.titled("Contact"), form().build(), recorder)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Stage stage = awaitWindow(again, "form");
            int port = server.port();
            server.close();
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                    node(stage, "jpb-connection-lost", Label.class).getText())
                    .contains("Reconnecting"));

            server = PbServer.builder().root(root).bind("127.0.0.1", port)
                    .register(ThinTypes.classes()).build().start();
            RemoteDisplay second = root.next(); // attached again, by itself
            second.window("form").open(WindowSpec.titled("Contact"), form().build(), recorder)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(node(stage, "jpb-connection-lost", Label.class).isVisible())
                        .isFalse();
                assertThat(fx(stage::getTitle)).isEqualTo("Contact");
                assertThat(fx(() -> lookup(stage, "save", Button.class).isDisabled()))
                        .isFalse();
            });
            assertThat(again.windowIds()).containsExactly("form");
        } finally {
            again.close();
        }
    }
}
