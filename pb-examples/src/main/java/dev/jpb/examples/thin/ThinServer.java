package dev.jpb.examples.thin;

import dev.jpb.Root;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.examples.thin.pushed.ContactForm;
import dev.jpb.server.PbServer;
import dev.jpb.thin.RemoteDisplay;
import dev.jpb.thin.RemoteWindow;
import dev.jpb.thin.ThinTypes;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.WindowSpec;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Pushes a contact form to every thin client that attaches
 * ({@code java -jar pb-thin-client.jar 127.0.0.1 8790}); all clients share one contact book and
 * see each other's edits. {@code --mode server} (the default) keeps the controller on the
 * server; {@code --mode code} pushes it to the client as code, falling back to the server-side
 * controller for a client that does not run code from this server. {@code --tls DIR} serves
 * TLS only, with the identity kept in {@code DIR} (made on the first start); a client that pins
 * it ({@code --pin sha256:...}, printed at start) trusts the server and runs its code.
 */
public final class ThinServer {
    /** Where the form's controller runs. */
    public enum Mode {
        /** On the server: the client runs no application code. */
        SERVER,
        /** On the client: pushed as classes with the form. */
        CODE
    }

    static final WindowSpec SPEC = WindowSpec.titled("Contact book").size(460, 470);

    private ThinServer() {
    }

    /** The root: each client's {@code attach(display)} gets the form. */
    static final class FormRoot extends Root {
        private final ContactBook book = new ContactBook();
        private final Mode mode;
        private final UiBundle serverForm = bundle("contact.fxml").build();
        private final UiBundle codeForm = bundle("contact-code.fxml")
                .controllerClass(ContactForm.class).build();

        FormRoot(Mode mode) {
            this.mode = mode;
        }

        public CompletableFuture<String> remote_attach(RemoteReference displayRef) {
            RemoteDisplay display = RemoteDisplay.of(displayRef);
            String client = "client " + book.nextClientNumber();
            if (mode == Mode.SERVER) {
                return pushServerForm(display, client);
            }
            return display.acceptsCode().thenCompose(ok -> ok ? pushCode(display, client)
                    : pushServerForm(display, client));
        }

        private CompletableFuture<String> pushServerForm(RemoteDisplay display, String client) {
            RemoteWindow window = display.window("contact");
            // The list follows the shared book by itself; each save only sets the message.
            ContactBook.Member member = (list, message) -> window.set("status.text", message);
            return window.open(SPEC.size(460, 470), serverForm,
                            new FormController(book, window, client))
                    .thenCompose(none -> window.bind("contacts.items", book.shared()))
                    .thenCompose(none -> joined(display, member))
                    .thenApply(v -> "pushed the form to " + client + " (server-side controller)");
        }

        private CompletableFuture<String> pushCode(RemoteDisplay display, String client) {
            return display.window("contact")
                    .open(SPEC, codeForm, new ContactBackend(book, client))
                    .thenCompose(gui -> joined(display,
                            (list, message) -> gui.callRemote("update", list, message)))
                    .thenApply(v -> "pushed the form and its code to " + client);
        }

        private CompletableFuture<?> joined(RemoteDisplay display, ContactBook.Member member) {
            display.reference().notifyOnDisconnect(r -> book.leave(member));
            return book.join(member);
        }
    }

    static UiBundle.Builder bundle(String document) {
        return UiBundle.builder()
                .classpath(ThinServer.class, document, "header.fxml", "contact.css", "logo.png")
                .document(document).stylesheet("contact.css");
    }

    static String contact(String name, String email, boolean subscribed) {
        return name + " <" + email + ">" + (subscribed ? " (newsletter)" : "");
    }

    /** Starts the server on {@code host:port} (0 = any free port), plain TCP. */
    public static PbServer start(String host, int port, Mode mode) {
        return start(host, port, mode, null);
    }

    /**
     * Starts the server on {@code host:port} (0 = any free port), over TLS as {@code identity}
     * unless it is null. A thin client that pins its fingerprint ({@code --pin}) or trusts its
     * certificate ({@code --trust}) runs the pushed code from any address.
     */
    public static PbServer start(String host, int port, Mode mode, TlsIdentity identity) {
        PbServer.Builder builder = PbServer.builder().root(new FormRoot(mode)).bind(host, port)
                .register(ThinTypes.classes());
        if (identity != null) {
            builder.tls(identity);
        }
        return builder.build().start();
    }

    /** Loads the identity kept in {@code dir}, or makes one there on the first start. */
    public static TlsIdentity identity(Path dir) {
        return TlsIdentity.loadOrCreateSelfSigned(dir.resolve("server.pem"),
                dir.resolve("server-key.pem"), "localhost", "127.0.0.1");
    }

    public static void main(String[] args) throws InterruptedException {
        int port = 8790;
        String host = "127.0.0.1";
        Mode mode = Mode.SERVER;
        Path tls = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--host" -> host = args[i + 1];
                case "--mode" -> mode = Mode.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
                case "--tls" -> tls = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (expected: --port N, --host H, --mode server|code, --tls DIR)");
            }
        }
        TlsIdentity identity = tls == null ? null : identity(tls);
        PbServer server = start(host, port, mode, identity);
        String trust = identity != null ? " --pin " + identity.fingerprint() + " "
                : mode == Mode.CODE ? " --allow-code-from-localhost " : " ";
        System.out.println("thin server (" + mode.name().toLowerCase(Locale.ROOT)
                + " mode" + (identity != null ? ", TLS, identity in " + tls : "")
                + ") listening on " + host + ":" + server.port()
                + "; run: java -jar pb-thin/target/pb-thin-client.jar" + trust + host + " "
                + server.port());
        Thread.currentThread().join();
    }
}
