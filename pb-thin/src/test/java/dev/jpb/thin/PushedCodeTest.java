package dev.jpb.thin;

import static dev.jpb.thin.ThinTestSupport.WAIT;
import static dev.jpb.thin.ThinTestSupport.awaitWindow;
import static dev.jpb.thin.ThinTestSupport.form;
import static dev.jpb.thin.ThinTestSupport.fx;
import static dev.jpb.thin.ThinTestSupport.node;
import static dev.jpb.thin.ThinTestSupport.screenshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.TlsHandshakeException;
import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.server.PbServer;
import dev.jpb.thin.pushed.ContactController;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testfx.api.FxRobot;

@Timeout(120)
class PushedCodeTest {
    /** The server-side object the pushed controller calls. */
    public static final class Saver extends Referenceable {
        public String remote_saved(String name) {
            return "saved " + name;
        }
    }

    private final ThinTestSupport.AttachRoot root = new ThinTestSupport.AttachRoot();
    private final PbServer server = ThinTestSupport.server(root);
    private ThinClient client;

    @BeforeAll
    static void fxUp() throws Exception {
        ThinTestSupport.startFx();
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private RemoteDisplay connect(boolean allowCode) throws Exception {
        client = ThinClient.builder().allowCodeFromLocalhost(allowCode)
                .connect("127.0.0.1", server.port());
        return root.next();
    }

    static UiBundle coded() {
        return UiBundle.builder()
                .classpath(ThinTestSupport.class, "coded.fxml", "form.css")
                .document("coded.fxml").stylesheet("form.css")
                .controllerClass(ContactController.class)
                .build();
    }

    @Test
    void pushedCodeRunsOnTheFxThreadCallsTheServerAndIsCalledByIt() throws Exception {
        RemoteDisplay display = connect(true);
        assertThat(display.acceptsCode().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        UiBundle bundle = coded();
        assertThat(bundle.classes()).containsKeys("dev.jpb.thin.pushed.ContactController",
                "dev.jpb.thin.pushed.ContactController$Suffix");

        RemoteReference gui = display.window("coded")
                .open(WindowSpec.titled("Pushed code").size(360, 200), bundle, new Saver())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Stage stage = awaitWindow(client, "coded");
        assertThat(node(stage, "status", Label.class).getText())
                .isEqualTo("connected to window coded");
        Object controller = fx(() -> client.controller("coded").orElseThrow());
        assertThat(controller.getClass().getName()).isEqualTo(ContactController.class.getName());
        assertThat(controller.getClass()).isNotSameAs(ContactController.class);
        assertThat(controller.getClass().getClassLoader().getName()).startsWith("jpb-bundle-");

        String answer = gui.<String>callRemote("show", "hello from the server")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer).startsWith("shown on fx by jpb-bundle-");
        assertThat(node(stage, "status", Label.class).getText())
                .isEqualTo("hello from the server");

        FxRobot robot = new FxRobot();
        robot.clickOn("#name").write("Ada");
        robot.clickOn("#save");
        await().atMost(WAIT).untilAsserted(() -> assertThat(
                node(stage, "status", Label.class).getText())
                .isEqualTo("saved Ada (fx thread)"));
        screenshot(stage.getScene(), "pushed-code");
    }

    @Test
    void pushedCodeThatBlocksOnTheFxThreadFailsFastInsteadOfFreezing() throws Exception {
        RemoteDisplay display = connect(true);
        RemoteReference gui = display.window("coded")
                .open(WindowSpec.titled("Pushed code").size(360, 200), coded(), new Saver())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Stage stage = awaitWindow(client, "coded");

        assertThatThrownBy(() -> gui.callRemote("saveAndWait", "Ada")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(dev.jpb.RemoteCallException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("dev.jpb.BlockingCallException");
                    assertThat(e.remoteMessage())
                            .startsWith("blocking on a jpb call on JavaFX Application Thread"
                                    + " is refused")
                            .contains("every window would stop responding")
                            .contains("thenAccept");
                });
        // the thread was not frozen: the window still answers the server and its user
        assertThat(gui.<String>callRemote("show", "still responsive")
                .get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("shown on fx");
        assertThat(node(stage, "status", Label.class).getText()).isEqualTo("still responsive");
    }

    @Test
    void callsToThePushedControllerRunOnTheFxThreadInTheOrderTheyWereMade() throws Exception {
        RemoteDisplay display = connect(true);
        RemoteReference gui = display.window("coded")
                .open(WindowSpec.titled("Pushed code"), coded(), new Saver())
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Stage stage = awaitWindow(client, "coded");
        StringBuilder expected = new StringBuilder("start");
        display.window("coded").set("status.text", "start");
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(gui.callRemote("append", i));
            expected.append(',').append(i);
        }
        CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]))
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(node(stage, "status", Label.class).getText()).isEqualTo(expected.toString());
    }

    @Test
    void codeIsRefusedWithoutTrustAndServerSideControllersStillWork() throws Exception {
        RemoteDisplay display = connect(false);
        assertThat(display.acceptsCode().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isFalse();

        assertThatThrownBy(() -> display.window("coded").open(WindowSpec.titled("x"), coded(),
                new Saver()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(CodeRefusedException.class)
                .hasMessageContaining("--allow-code-from-localhost")
                .hasMessageContaining("full rights");
        assertThat(client.window("coded")).isEmpty();

        display.window("form").open(WindowSpec.titled("Contact"), form().build(), null)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(node(awaitWindow(client, "form"), "save", javafx.scene.control.Button.class))
                .isNotNull();
    }

    @Test
    void aPinnedTlsServerMayPushCodeAndAWrongPinFailsTheConnect() throws Exception {
        TlsIdentity identity = TlsIdentity.selfSigned("thin-server");
        ThinTestSupport.AttachRoot tlsRoot = new ThinTestSupport.AttachRoot();
        try (PbServer tls = PbServer.builder().root(tlsRoot).bind("127.0.0.1", 0)
                .register(ThinTypes.classes()).tls(identity).build().start()) {
            String wrong = TlsIdentity.selfSigned("impostor").fingerprint();
            assertThatThrownBy(() -> ThinClient.builder().pin(wrong)
                    .connect("127.0.0.1", tls.port()))
                    .isInstanceOf(TlsPinMismatchException.class)
                    .hasMessageContaining(wrong)
                    .hasMessageContaining(identity.fingerprint());
            assertThat(tlsRoot.displays).isEmpty();

            // not --allow-code-from-localhost: the pin alone makes the server trusted
            client = ThinClient.builder().pin(identity.fingerprint())
                    .connect("127.0.0.1", tls.port());
            RemoteDisplay display = tlsRoot.next();
            assertThat(display.acceptsCode().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            RemoteReference gui = display.window("coded")
                    .open(WindowSpec.titled("Pinned server"), coded(), new Saver())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Stage stage = awaitWindow(client, "coded");
            assertThat(gui.<String>callRemote("show", "over TLS")
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .startsWith("shown on fx by jpb-bundle-");
            assertThat(node(stage, "status", Label.class).getText()).isEqualTo("over TLS");
            screenshot(stage.getScene(), "pushed-code-pinned");
            client.close();
            client = null;
        }
        assertThatThrownBy(() -> ThinClient.builder().pin("sha256:xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("64 hex digits");
    }

    @Test
    void aPinAgainstAPlaintextServerFailsClearly() {
        String pin = "sha256:" + "ab".repeat(32);
        assertThatThrownBy(() -> ThinClient.builder().pin(pin).connect("127.0.0.1",
                server.port()))
                .isInstanceOf(TlsHandshakeException.class)
                .hasMessageContaining("speaks plaintext jpb");
    }

    @Test
    void aServerTrustedThroughItsCertificatePemMayPushCode() throws Exception {
        // trusting the certificate (PKIX + host name) authenticates the server as a pin does
        TlsIdentity identity = TlsIdentity.selfSigned("localhost", "127.0.0.1");
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("thin-tls");
        java.nio.file.Path cert = dir.resolve("server.pem");
        identity.writePem(cert, dir.resolve("server-key.pem"));
        ThinTestSupport.AttachRoot tlsRoot = new ThinTestSupport.AttachRoot();
        try (PbServer tls = PbServer.builder().root(tlsRoot).bind("127.0.0.1", 0)
                .register(ThinTypes.classes()).tls(identity).build().start()) {
            client = ThinClient.builder().trustCertificates(cert)
                    .connect("127.0.0.1", tls.port());
            assertThat(tlsRoot.next().acceptsCode().get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isTrue();
            client.close();
            client = null;
        }
    }

    @Test
    void classesWhoseDigestDoesNotMatchAreRefused() throws Exception {
        RemoteDisplay display = connect(true);
        UiBundle good = coded();
        UiBundle forged = new UiBundle(good.document(), good.resources(), good.stylesheets(),
                good.classes(), UiBundle.digest(Map.of()));

        assertThatThrownBy(() -> display.window("coded").open(WindowSpec.titled("x"), forged,
                new Saver()).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .cause().isInstanceOf(UiBundleException.class)
                .hasMessageContaining("SHA-256 " + good.classesSha256());
        assertThat(client.window("coded")).isEmpty();
    }

    @Test
    void aHundredReplacementsLeaveAtMostOneBundleClassLoaderReachable() throws Exception {
        RemoteDisplay display = connect(true);
        RemoteWindow window = display.window("coded");
        Saver saver = new Saver();
        window.open(WindowSpec.titled("Pushed code").size(360, 200), coded(), saver)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS).release();
        List<WeakReference<ClassLoader>> loaders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RemoteReference gui = window.replace(coded(), saver)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(gui.<String>callRemote("show", "version " + i)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS)).startsWith("shown on fx");
            gui.release();
            ClassLoader loader = fx(() -> client.controller("coded").orElseThrow()
                    .getClass().getClassLoader());
            // A loader of its own: none of the earlier ones still alive (the collected ones,
            // gone, cannot be it either; checking after the loop would miss those).
            assertThat(loaders).noneMatch(r -> r.get() == loader);
            loaders.add(new WeakReference<>(loader));
        }

        await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(200)).until(() -> {
            System.gc();
            return loaders.stream().filter(r -> r.get() != null).count() <= 1;
        });
        assertThat(node(client.window("coded").orElseThrow(), "status", Label.class).getText())
                .isEqualTo("version 99");
    }
}
