package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static dev.jpb.thin.ThinTestSupport.awaitWindow;
import static dev.jpb.thin.ThinTestSupport.form;
import static dev.jpb.thin.ThinTestSupport.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.server.PbServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class BundleErrorsTest {
    private final ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
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

    private static AbstractThrowableAssert<?, ? extends Throwable> failsWithBundleError(
            CompletableFuture<?> answer) {
        return assertThatThrownBy(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(UiBundleException.class);
    }

    /** The form still works: shown, and the server's set still reaches it. */
    private void assertFormStillUsable(Stage stage) throws Exception {
        display.window("form").set("status.text", "still here").get(WAIT.toSeconds(),
                TimeUnit.SECONDS);
        assertThat(node(stage, "status", Label.class).getText()).isEqualTo("still here");
        assertThat(node(stage, "save", Button.class).getText()).isEqualTo("Save");
    }

    private Stage openForm() throws Exception {
        display.window("form").open(WindowSpec.titled("Contact"), form().build(), null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return awaitWindow(client, "form");
    }

    @Test
    void malformedFxmlIsATypedErrorAndTheWindowKeepsItsContent() throws Exception {
        Stage stage = openForm();
        UiBundle bad = UiBundle.builder()
                .document("bad.fxml", "<?xml version=\"1.0\"?>\n<VBox><Button></VBox>").build();

        failsWithBundleError(display.window("form").replace(bad, null))
                .hasMessageContaining("bad.fxml is not well-formed FXML: line 2")
                .satisfies(e -> assertThat(((UiBundleException) e).resource())
                        .isEqualTo("bad.fxml"));
        assertFormStillUsable(stage);
    }

    @Test
    void aMissingImageIsATypedErrorEvenThoughTheClientHasItOnItsClasspath() throws Exception {
        Stage stage = openForm();
        UiBundle noLogo = UiBundle.builder()
                .classpath(ThinTestSupport.class, "form.fxml", "header.fxml", "form.css")
                .document("form.fxml").stylesheet("form.css").build();

        failsWithBundleError(display.window("other").open(WindowSpec.titled("x"), noLogo, null))
                .hasMessageContaining("header.fxml refers to logo.png, which the bundle does"
                        + " not contain")
                .satisfies(e -> assertThat(((UiBundleException) e).resource())
                        .isEqualTo("logo.png"));
        assertThat(client.window("other")).isEmpty();
        assertFormStillUsable(stage);
    }

    @Test
    void aMissingIncludeIsATypedError() throws Exception {
        Stage stage = openForm();
        UiBundle noHeader = UiBundle.builder()
                .classpath(ThinTestSupport.class, "form.fxml", "form.css", "logo.png")
                .document("form.fxml").build();

        failsWithBundleError(display.window("form").replace(noHeader, null))
                .hasMessageContaining("form.fxml refers to header.fxml");
        assertFormStillUsable(stage);
    }

    @Test
    void anImageAStylesheetNeedsButTheBundleLacksIsATypedError() throws Exception {
        Stage stage = openForm();
        UiBundle cssMissesImage = form()
                .resource("extra.css", ".form { -fx-background-image: url(\"bg.png\"); }")
                .stylesheet("extra.css").build();

        failsWithBundleError(display.window("form").replace(cssMissesImage, null))
                .hasMessageContaining("bg.png");
        assertFormStillUsable(stage);
    }

    @Test
    void aFontFromTheBundlesStylesheetIsLoadedFromTheBundle() throws Exception {
        Stage stage = openForm();
        String css = "@font-face { font-family: 'Pushed Mono'; src: url('fonts/mono.ttf'); }\n"
                + ".header .title { -fx-font-family: 'DejaVu Sans Mono'; }";
        UiBundle withFont = form().classpath(ThinTestSupport.class, "fonts/mono.ttf")
                .resource("font.css", css).stylesheet("font.css").build();

        display.window("form").replace(withFont, null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(node(stage, "title", Label.class).getFont().getFamily())
                .isEqualTo("DejaVu Sans Mono");

        UiBundle withoutFont = form().resource("font.css", css).stylesheet("font.css").build();
        failsWithBundleError(display.window("form").replace(withoutFont, null))
                .hasMessageContaining("fonts/mono.ttf");
        assertFormStillUsable(stage);
    }

    @Test
    void aControllerClassTheBundleDoesNotCarryIsATypedError() throws Exception {
        Stage stage = openForm();
        UiBundle unknown = UiBundle.builder().document("c.fxml",
                "<?import javafx.scene.layout.VBox?>\n<VBox xmlns:fx=\"http://javafx.com/fxml\""
                + " fx:controller=\"com.acme.Nope\"/>").build();

        failsWithBundleError(display.window("form").replace(unknown, null))
                .hasMessageContaining("com.acme.Nope");
        assertFormStillUsable(stage);
    }

    @Test
    void settingAControlThatIsNotThereIsATypedError() throws Exception {
        Stage stage = openForm();
        failsWithBundleError(display.window("form").set("nope.text", "x"))
                .hasMessageContaining("window form has no control with fx:id nope");
        failsWithBundleError(display.window("form").set("save.nope", "x"))
                .hasMessageContaining("'save' (Button) has no writable property nope");
        failsWithBundleError(display.window("ghost").set("a.text", "x"))
                .hasMessageContaining("window ghost is not open");
        assertFormStillUsable(stage);
    }
}
