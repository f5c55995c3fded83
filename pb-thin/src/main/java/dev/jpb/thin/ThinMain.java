package dev.jpb.thin;

import dev.jpb.LoginFailedException;
import dev.jpb.PbException;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.animation.PauseTransition;
import javafx.application.Platform;

/** The command line of {@code pb-thin-client.jar}. */
final class ThinMain {
    /** The environment variable holding the password for {@code --user}. */
    static final String PASSWORD_ENV = "JPB_THIN_PASSWORD";
    static final String USAGE = "usage: java -jar pb-thin-client.jar"
            + " [--pin sha256:HEX | --trust CERTS.pem] [--allow-code-from-localhost]"
            + " [--user NAME [--password-file FILE]] HOST PORT\n"
            + "  with --user the password is read from --password-file (its first line), else"
            + " from the environment variable " + PASSWORD_ENV + ", else asked for";
    /** How the jar reconnects: first retry within 0.5 s, then backing off up to 10 s. */
    static final Duration RECONNECT_INITIAL = Duration.ofMillis(500);
    static final Duration RECONNECT_MAX = Duration.ofSeconds(10);

    /** Set to a file name, the jar saves a screen capture of its first window there. */
    static final String SCREENSHOT_PROPERTY = "jpb.thin.screenshot";

    private ThinMain() {
    }

    /**
     * Captures the first window once it has been drawn: a second after it is shown, and again
     * each second while the capture is still one colour (a loaded machine draws late).
     */
    private static void captureLater(Path file, PrintStream err) {
        captureLater(file, err, 15);
    }

    private static void captureLater(Path file, PrintStream err, int attempts) {
        PauseTransition drawn = new PauseTransition(javafx.util.Duration.seconds(1));
        drawn.setOnFinished(e -> {
            try {
                WindowCapture.Shot shot = WindowCapture.saveFirstWindow(file);
                if (shot.colours() < 2 && attempts > 1) {
                    captureLater(file, err, attempts - 1);
                    return;
                }
                err.println("jpb-thin: screenshot of \"" + shot.title() + "\" saved to " + file
                        + " (" + shot.colours() + " colours)");
            } catch (IOException | RuntimeException ex) {
                err.println("jpb-thin: cannot save a screenshot to " + file + ": " + ex);
            }
        });
        drawn.play();
    }

    static void run(String[] args) {
        PrintStream err = System.err;
        List<String> positional = new ArrayList<>();
        ThinClient.Builder builder = ThinClient.builder()
                .reconnect(RECONNECT_INITIAL, RECONNECT_MAX);
        String user = null;
        Path passwordFile = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--allow-code-from-localhost" -> builder.allowCodeFromLocalhost(true);
                    case "--pin" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--pin needs a value");
                        }
                        builder.pin(args[++i]);
                    }
                    case "--trust" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--trust needs a PEM file");
                        }
                        builder.trustCertificates(java.nio.file.Path.of(args[++i]));
                    }
                    case "--user" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--user needs a name");
                        }
                        user = args[++i];
                    }
                    case "--password-file" -> {
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--password-file needs a file");
                        }
                        passwordFile = Path.of(args[++i]);
                    }
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    default -> {
                        if (args[i].startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + args[i]);
                        }
                        positional.add(args[i]);
                    }
                }
            }
            if (positional.size() != 2) {
                throw new IllegalArgumentException("expected HOST PORT");
            }
            Integer.parseInt(positional.get(1));
            if (passwordFile != null && user == null) {
                throw new IllegalArgumentException("--password-file needs --user");
            }
            if (user != null) {
                char[] password = password(user, passwordFile);
                builder.login(user, password);
                java.util.Arrays.fill(password, '\0');
            }
        } catch (IllegalArgumentException e) {
            err.println("jpb-thin: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        String host = positional.get(0);
        int port = Integer.parseInt(positional.get(1));
        AtomicBoolean first = new AtomicBoolean(true);
        PaintTiming timing = PaintTiming.enabled() ? new PaintTiming(err) : null;
        if (timing != null) {
            builder.onLoggedIn(timing::loggedIn);
        }
        builder.onShown(id -> {
            if (timing != null) {
                timing.windowShown();
            }
            if (first.getAndSet(false)) {
                dev.jpb.internal.thin.JarLauncher.windowShown();
                err.println("jpb-thin: first window (" + id + ") shown "
                        + ThinClient.uptimeMillis() + " ms after start ("
                        + ThinClient.cpuMillis() + " ms of CPU)");
                String shot = System.getProperty(SCREENSHOT_PROPERTY);
                if (shot != null) {
                    captureLater(Path.of(shot), err);
                }
            }
        }).onLastWindowClosed(() -> {
            err.println("jpb-thin: last window closed");
            Platform.exit();
            System.exit(0);
        }).onConnectionLost(() -> {
            err.println("jpb-thin: lost the connection to " + host + ":" + port
                    + "; reconnecting (close the windows to quit)");
        });
        // the FX thread warms the controls up while this one connects and logs in
        FxWarmUp.start(FxStartup.SHARED.executor());
        ThinClient client;
        try {
            client = builder.connect(host, port);
        } catch (PbException e) {
            err.println("jpb-thin: " + e.getMessage());
            System.exit(1);
            return;
        } catch (UnsupportedOperationException e) {
            err.println("jpb-thin: JavaFX cannot open a window (" + e.getMessage() + "); run it"
                    + " in a desktop session, or under xvfb-run");
            System.exit(1);
            return;
        }
        err.println("jpb-thin: connecting to " + host + ":" + port
                + (user == null ? "" : " as " + user) + " (reconnects when the link is lost)");
        client.attached().whenComplete((r, t) -> {
            if (t instanceof LoginFailedException) {
                err.println("jpb-thin: login refused: " + t.getMessage());
                Platform.exit();
                System.exit(1);
            } else if (t != null) {
                err.println("jpb-thin: the server refused attach(display): " + t);
            }
        });
    }

    /** The password for {@code --user}: the file's first line, the env variable, or asked. */
    private static char[] password(String user, Path file) {
        try {
            if (file != null) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                if (lines.isEmpty() || lines.get(0).isEmpty()) {
                    throw new IllegalArgumentException("--password-file " + file
                            + ": the first line is empty; put the password there");
                }
                return lines.get(0).toCharArray();
            }
            String env = System.getenv(PASSWORD_ENV);
            if (env != null && !env.isEmpty()) {
                return env.toCharArray();
            }
            Console console = System.console();
            if (console != null) {
                char[] typed = console.readPassword("password for %s: ", user);
                if (typed != null && typed.length > 0) {
                    return typed;
                }
            } else {
                String line = new BufferedReader(new InputStreamReader(System.in,
                        StandardCharsets.UTF_8)).readLine();
                if (line != null && !line.isEmpty()) {
                    return line.toCharArray();
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the password for " + user + " ("
                    + e + "); give a readable --password-file", e);
        }
        throw new IllegalArgumentException("--user " + user + ": no password; use"
                + " --password-file FILE, set " + PASSWORD_ENV + ", or type it when asked");
    }
}
