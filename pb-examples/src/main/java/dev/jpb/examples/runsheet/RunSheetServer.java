package dev.jpb.examples.runsheet;

import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves a {@link RunSheet} (default port 8792). With {@code --demo} it runs the server and
 * three clients in one process: alice writes on the sheet, all three see it, and the server
 * walks them through three steps, each acknowledged by all; then it exits 0.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.runsheet.RunSheetServer \
 *     -Dexec.args=--demo
 * </pre>
 */
public final class RunSheetServer {
    /** The default port. */
    public static final int PORT = 8792;
    /** The steps of the demo's procedure. */
    public static final List<String> STEPS = List.of("weigh the sample", "mix", "measure");

    private RunSheetServer() {
    }

    /** Starts a server whose root is {@code sheet} on {@code port} (0 = any free port). */
    public static PbServer start(RunSheet sheet, int port) {
        return PbServer.builder().root(sheet).bind("127.0.0.1", port).build().start();
    }

    /**
     * The demo: a server, three clients; returns what each client saw, in order.
     *
     * @param out hears every line (from several threads)
     */
    public static Map<String, List<String>> demo(java.util.function.Consumer<String> out)
            throws Exception {
        RunSheet sheet = new RunSheet();
        Map<String, List<String>> seen = new java.util.concurrent.ConcurrentHashMap<>();
        try (PbServer server = start(sheet, 0)) {
            List<RunSheetClient> clients = new ArrayList<>();
            try {
                for (String name : List.of("alice", "bob", "carol")) {
                    List<String> mine = new java.util.concurrent.CopyOnWriteArrayList<>();
                    seen.put(name, mine);
                    clients.add(RunSheetClient.join("127.0.0.1", server.port(), name, line -> {
                        mine.add(line);
                        out.accept(line);
                    }));
                }
                clients.get(0).note("sample", "S-42");
                for (RunSheetClient c : clients) {
                    if (!c.awaitSheetVersion(sheet.sheet().version(), Duration.ofSeconds(10))) {
                        throw new IllegalStateException(c.name() + " did not see the sheet");
                    }
                }
                List<Integer> done = sheet.walk(STEPS, Duration.ofSeconds(10));
                out.accept("server: steps " + done + " acknowledged by all "
                        + sheet.followers() + " clients");
            } finally {
                for (RunSheetClient c : clients) {
                    c.close();
                }
            }
        }
        return seen;
    }

    /** Runs the server until stopped ({@code --port N}), or the demo ({@code --demo}). */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--demo")) {
            demo(line -> {
                synchronized (System.out) {
                    System.out.println(line);
                }
            });
            return;
        }
        int port = args.length > 1 && args[0].equals("--port") ? Integer.parseInt(args[1]) : PORT;
        PbServer server = start(new RunSheet(), port);
        System.out.println("run sheet server listening on port " + server.port());
        Thread.currentThread().join();
    }
}
