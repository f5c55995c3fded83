package dev.jpb.thin;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.client.ConnectionState;
import dev.jpb.client.PbClient;
import dev.jpb.internal.thin.Display;
import dev.jpb.internal.thin.StepTiming;
import dev.jpb.internal.thin.TrustPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin client: connects to a jpb server, hands its root a display
 * ({@code root.callRemote("attach", display)}) and shows whatever the server pushes. Run it as
 * {@code java -jar pb-thin-client.jar [--pin sha256:... | --trust certs.pem]
 * [--allow-code-from-localhost] HOST PORT}, or embed it:
 *
 * <pre>{@code
 * try (ThinClient client = ThinClient.builder().allowCodeFromLocalhost(true)
 *         .connect("127.0.0.1", port)) {
 *     client.attached().get();
 * }
 * }</pre>
 *
 * <p>Everything the server calls on the display, and every callback of the futures the pushed
 * code gets, runs on the JavaFX Application Thread in arrival order (the underlying
 * {@link PbClient}'s executor hands every task to {@code Platform.runLater}, holding those
 * that come while JavaFX is still starting). Thread-safe.
 */
public final class ThinClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThinClient.class);
    private static final Pattern PIN = Pattern.compile("sha256:[0-9A-Fa-f:]{64,95}");

    private final PbClient client;
    private final Display display;
    private final CompletableFuture<Object> attached;
    // the root or perspective the display was last handed to, kept so it is not released
    private final AtomicReference<RemoteReference> attachedTo;

    private ThinClient(PbClient client, Display display, CompletableFuture<Object> attached,
            AtomicReference<RemoteReference> attachedTo) {
        this.client = client;
        this.display = display;
        this.attached = attached;
        this.attachedTo = attachedTo;
    }

    /** {@return a new builder} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The runnable jar's entry point. Exits 2 on bad arguments, 1 if the server cannot be
     * reached or is lost while no window is open, 0 when the user closed the last window.
     *
     * @param args the command line: {@code [--pin sha256:HEX] [--allow-code-from-localhost]
     *     [--user NAME [--password-file FILE]]
     *     HOST PORT}
     */
    public static void main(String[] args) {
        ThinMain.run(args);
    }

    /**
     * Completes when the server's root (or, with {@link Builder#login}, the user's
     * perspective) answered the first {@code attach} (with its answer). Fails with
     * {@link dev.jpb.LoginFailedException} if the login was refused.
     *
     * @return a future completed with the answer to the first {@code attach}
     */
    public CompletableFuture<Object> attached() {
        return attached;
    }

    /** {@return the connection to the server} */
    public Connection connection() {
        return client.connection();
    }

    /** {@return the ids of the open pushed windows (any thread)} */
    public List<String> windowIds() {
        return display.windowIds();
    }

    /**
     * Returns the stage of the pushed window with this id, if it is open.
     *
     * @param windowId the window's id, as the server named it
     * @return the window's stage, or empty if no such window is open
     */
    public Optional<Stage> window(String windowId) {
        return display.stage(windowId);
    }

    /**
     * Returns the controller of the bundle the window shows (the pushed {@code fx:controller},
     * or the internal dispatcher of a server-side-controller document), if it is open.
     * Read it on the JavaFX Application Thread.
     *
     * @param windowId the window's id, as the server named it
     * @return the controller, or empty if no such window is open
     */
    public Optional<Object> controller(String windowId) {
        return display.controller(windowId);
    }

    /** Closes the windows and the connection; idempotent. Call it off the FX thread. */
    @Override
    public void close() {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                display.closeAll();
            } finally {
                closed.countDown();
            }
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }

    /** Configures and connects a {@link ThinClient}; not thread-safe. */
    public static final class Builder {
        private boolean allowCodeFromLocalhost;
        private String pin;
        private Path trustedCertificates;
        private Consumer<String> onShown = id -> { };
        private Runnable onLastWindowClosed = () -> { };
        private Runnable onConnectionLost = () -> { };
        private String user;
        private char[] password; // a copy, cleared once the first login answered
        private Duration reconnectInitial; // null: no reconnection
        private Duration reconnectMax;
        private FxStartup fxStartup = FxStartup.SHARED;
        private Runnable onLoggedIn = () -> { };

        private Builder() {
        }

        /**
         * Logs in as {@code user} before attaching: the display is handed to the user's
         * perspective ({@code perspective.callRemote("attach", display)}) instead of the root,
         * so the server pushes what that user may see. Off by default (the root's
         * {@code attach}). The password is copied (clear yours); the copy is cleared once the
         * first login answered, and a re-login after a reconnection uses the keys SCRAM
         * derived, not the password.
         *
         * @param user the user's name
         * @param password the user's password, not empty
         * @return this builder
         * @throws IllegalArgumentException if the name or the password is empty
         */
        public Builder login(String user, char[] password) {
            requireNonNull(user, "user");
            requireNonNull(password, "password");
            checkArgument(!user.isEmpty(), "user: empty (expected: a user name)");
            checkArgument(password.length > 0, "password: empty (expected: the user's"
                    + " password)");
            this.user = user;
            this.password = password.clone();
            return this;
        }

        /**
         * Reconnects whenever the connection is lost ({@link PbClient.Builder#reconnect}:
         * exponential backoff with jitter), logs in again if {@link #login} was given, and
         * attaches the display again, so the server pushes its windows again without the user
         * doing anything. Meanwhile the windows show a banner saying the client is
         * reconnecting; it goes when the server pushes the window again. Off by default.
         *
         * @param initialDelay the first retry's delay cap, positive
         * @param maxDelay the largest delay cap, at least {@code initialDelay}
         * @return this builder
         */
        public Builder reconnect(Duration initialDelay, Duration maxDelay) {
            this.reconnectInitial = requireNonNull(initialDelay, "initialDelay");
            this.reconnectMax = requireNonNull(maxDelay, "maxDelay");
            return this;
        }

        /**
         * Runs code pushed by a server on a loopback address (default: refused). Pushed code
         * runs with this process's full rights: enable it only for a server you run yourself.
         *
         * @param allow whether to run code from a server on a loopback address
         * @return this builder
         */
        public Builder allowCodeFromLocalhost(boolean allow) {
            this.allowCodeFromLocalhost = allow;
            return this;
        }

        /**
         * Connects over TLS and pins the server's certificate (its SHA-256,
         * {@code sha256:<hex>}, as the server's {@code TlsIdentity.fingerprint()} prints it):
         * code the server pushes then runs, since the server is authenticated. Replaces an
         * earlier {@link #trustCertificates}.
         *
         * @param sha256 the fingerprint, {@code sha256:} and 64 hex digits (colons allowed)
         * @return this builder
         * @throws IllegalArgumentException if it is not {@code sha256:} and 64 hex digits
         */
        public Builder pin(String sha256) {
            requireNonNull(sha256, "sha256");
            checkArgument(PIN.matcher(sha256).matches()
                    && sha256.substring(7).replace(":", "").length() == 64,
                    "pin: %s (expected: sha256: followed by 64 hex digits)", sha256);
            this.pin = sha256;
            this.trustedCertificates = null;
            return this;
        }

        /**
         * Connects over TLS and trusts the certificates (authorities or self-signed) in a PEM
         * file, with the host name checked: code the server pushes then runs, since the server
         * is authenticated. Replaces an earlier {@link #pin}.
         *
         * @param pemFile one or more PEM {@code CERTIFICATE} blocks, read when connecting
         * @return this builder
         */
        public Builder trustCertificates(Path pemFile) {
            this.trustedCertificates = requireNonNull(pemFile, "pemFile");
            this.pin = null;
            return this;
        }

        /**
         * Sets what runs on the FX thread with a window's id each time it is shown. Default
         * nothing.
         *
         * @param onShown the listener, given the window's id
         * @return this builder
         */
        public Builder onShown(Consumer<String> onShown) {
            this.onShown = requireNonNull(onShown, "onShown");
            return this;
        }

        /**
         * Sets what runs on the FX thread when the user closed the last open window. Default
         * nothing.
         *
         * @param action the listener
         * @return this builder
         */
        public Builder onLastWindowClosed(Runnable action) {
            this.onLastWindowClosed = requireNonNull(action, "action");
            return this;
        }

        /**
         * Sets what runs on the FX thread once the connection to the server is lost. Default
         * nothing.
         *
         * @param action the listener
         * @return this builder
         */
        public Builder onConnectionLost(Runnable action) {
            this.onConnectionLost = requireNonNull(action, "action");
            return this;
        }

        /** Starts JavaFX with {@code startup} instead of the JVM's one (tests hold it back). */
        Builder fxStartup(FxStartup startup) {
            this.fxStartup = requireNonNull(startup, "startup");
            return this;
        }

        /** Runs {@code action} once the first login succeeded (off the FX thread, maybe). */
        Builder onLoggedIn(Runnable action) {
            this.onLoggedIn = requireNonNull(action, "action");
            return this;
        }

        /**
         * Starts JavaFX if it is not running (on a thread of its own, while this one connects
         * and, with {@link #login}, sends the login), connects, and sends the display to the
         * root's (or the perspective's) {@code remote_attach}; returns once connected and
         * JavaFX runs (call it off the FX thread).
         *
         * @param host the server's host name or address
         * @param port the server's port
         * @return the connected client; close it when done
         * @throws dev.jpb.TlsPinMismatchException if a pin was given and the server presented
         *     another certificate (the message names both fingerprints)
         * @throws dev.jpb.TlsHandshakeException if TLS was asked for and failed (a refused
         *     certificate, or a server that does not speak TLS on that port)
         * @throws PbException if the server cannot be reached
         * @throws IllegalStateException if called on the JavaFX Application Thread
         * @throws UnsupportedOperationException if JavaFX cannot open windows here (no
         *     display)
         */
        public ThinClient connect(String host, int port) {
            if (Platform.isFxApplicationThread()) {
                throw new IllegalStateException("connect blocks; call it off the JavaFX"
                        + " Application Thread");
            }
            // JavaFX starts on a thread of its own while this one connects (TLS) and logs in:
            // in a fresh JVM each takes hundreds of milliseconds. What the connection hands
            // the executor meanwhile waits for the toolkit, in order.
            FxStartup fx = fxStartup;
            fx.start();
            PbClient.Builder pb = PbClient.builder()
                    .executor(fx.executor())
                    .register(ThinTypes.classes());
            if (pin != null) {
                pb.pinServer(pin);
            } else if (trustedCertificates != null) {
                pb.trustCertificates(trustedCertificates);
            }
            if (reconnectInitial != null) {
                pb.reconnect(reconnectInitial, reconnectMax);
            }
            StepTiming.mark("connect");
            PbClient client = pb.connect(host, port);
            StepTiming.mark("connected (TLS done)");
            Consumer<String> shown = onShown;
            Runnable last = onLastWindowClosed;
            // Only a connection whose server TLS verified (pin or CA) may push code; the
            // policy follows the current connection (set again on each reconnection).
            TrustPolicy trust = new TrustPolicy(allowCodeFromLocalhost);
            Display display = new Display(trust, new Display.Listener() {
                @Override
                public void shown(String windowId) {
                    shown.accept(windowId);
                }

                @Override
                public void closedByUser(String windowId, int remaining) {
                    if (remaining == 0) {
                        last.run();
                    }
                }
            });
            Runnable lost = onConnectionLost;
            boolean reconnecting = reconnectInitial != null;
            client.onStateChange(state -> {
                if (state == ConnectionState.DISCONNECTED) {
                    fx.executor().execute(() -> {
                        display.connectionLost(reconnecting);
                        lost.run();
                    });
                }
            });
            CompletableFuture<Object> attached = new CompletableFuture<>();
            // Held for the client's life: a perspective nobody references is released, which
            // would end the user's session on the server.
            AtomicReference<RemoteReference> attachedTo = new AtomicReference<>();
            Consumer<RemoteReference> attach = target -> {
                attachedTo.set(target);
                trust.authenticated(client.isServerAuthenticated() ? client.connection() : null);
                StepTiming.mark("attach");
                target.<Object>callRemote("attach", display).whenComplete((answer, t) -> {
                    StepTiming.mark("attached");
                    if (t == null) {
                        attached.complete(answer);
                    } else if (!attached.completeExceptionally(unwrap(t))) {
                        LOG.warn("the server refused attach(display) after a reconnection: {}",
                                unwrap(t).toString());
                    }
                });
            };
            if (user == null) {
                client.onConnected(root -> {
                    if (root == null) {
                        attached.completeExceptionally(new PbException("the server has no root"
                                + " to attach to (it serves login only): give a user with"
                                + " --user NAME"));
                        return;
                    }
                    attach.accept(root);
                });
            } else {
                // After a reconnection PbClient logs in again itself (onLogin gets the new
                // perspective); only the first connection logs in with the password.
                client.onLogin(attach);
                AtomicBoolean first = new AtomicBoolean(true);
                String name = user;
                char[] secret = password.clone();
                Runnable loggedIn = onLoggedIn;
                Runnable firstLogin = () -> client.login(name, secret, null)
                        .whenComplete((p, t) -> {
                            Arrays.fill(secret, '\0');
                            if (t != null) {
                                attached.completeExceptionally(unwrap(t));
                            } else {
                                loggedIn.run();
                            }
                        });
                // Connected already (the usual case): log in from here, now, rather than from
                // the listener below, which runs on the executor and so waits for JavaFX.
                if (client.state() == ConnectionState.CONNECTED && first.getAndSet(false)) {
                    firstLogin.run();
                }
                client.onConnected(root -> {
                    if (first.getAndSet(false)) {
                        firstLogin.run();
                    }
                });
            }
            try {
                fx.awaitStarted();
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
            return new ThinClient(client, display, attached, attachedTo);
        }
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof java.util.concurrent.CompletionException && t.getCause() != null
                ? t.getCause() : t;
    }

    /** Milliseconds since this JVM started. */
    static long uptimeMillis() {
        return StepTiming.uptimeMillis();
    }

    /** CPU milliseconds this process has used (all threads), or -1 if the JVM cannot say. */
    static long cpuMillis() {
        return StepTiming.cpuMillis();
    }
}
