package dev.jpb.thin;

import dev.jpb.PbException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/** The command line of {@code pb-thin-client.jar}. */
final class ThinMain {
    static final String USAGE = "usage: java -jar pb-thin-client.jar"
            + " [--pin sha256:HEX | --trust CERTS.pem] [--allow-code-from-localhost] HOST PORT";

    private ThinMain() {
    }

    static void run(String[] args) {
        PrintStream err = System.err;
        List<String> positional = new ArrayList<>();
        ThinClient.Builder builder = ThinClient.builder();
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
        } catch (IllegalArgumentException e) {
            err.println("jpb-thin: " + e.getMessage());
            err.println(USAGE);
            System.exit(2);
            return;
        }
        String host = positional.get(0);
        int port = Integer.parseInt(positional.get(1));
        AtomicBoolean first = new AtomicBoolean(true);
        ThinClient[] clientRef = new ThinClient[1]; // set once connected
        builder.onShown(id -> {
            if (first.getAndSet(false)) {
                err.println("jpb-thin: first window (" + id + ") shown "
                        + ThinClient.uptimeMillis() + " ms after start");
            }
        }).onLastWindowClosed(() -> {
            err.println("jpb-thin: last window closed");
            Platform.exit();
            System.exit(0);
        }).onConnectionLost(() -> {
            err.println("jpb-thin: lost the connection to " + host + ":" + port
                    + "; close the windows to quit");
            if (clientRef[0] != null && clientRef[0].windowIds().isEmpty()) {
                Platform.exit();
                System.exit(1);
            }
        });
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
        clientRef[0] = client;
        err.println("jpb-thin: connected to " + host + ":" + port);
        client.attached().whenComplete((r, t) -> {
            if (t != null) {
                Throwable c = t.getCause() != null ? t.getCause() : t;
                err.println("jpb-thin: the server's root refused attach(display): " + c);
            }
        });
    }
}
