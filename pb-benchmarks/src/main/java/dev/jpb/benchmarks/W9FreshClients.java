package dev.jpb.benchmarks;

import dev.jpb.examples.lab.LabOptions;
import dev.jpb.examples.lab.LabServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W9 as a user sees it: the lab server in a process of its own, started once and warmed up
 * (as a lab's server runs for days), and each client a fresh JVM started as a user starts it,
 * {@code java -jar pb-thin-client.jar --pin ... --user ... HOST PORT}, on a real X server
 * (Xvfb, JavaFX's GTK glass), through a {@link W9LabFirstPaint.Relay} that counts the bytes.
 * The jar runs with {@code -Djpb.thin.timing=true}, so it prints when it logged in and when
 * the people table was first laid out with every row; the run ends there, the client is
 * stopped and the next one starts.
 *
 * <p>Per client: from process start (the launch, on this process's clock) and from login to
 * the first layout with every row, the JVM's own uptime then, the window shown, the client's
 * CPU time (all of it, and the part after the login), and the bytes each way. {@link Cds}
 * says how the clients start: as the jar starts itself by default (its own class-data-sharing
 * archive, in a folder of this run's, written by the first warm-up client), without it, or
 * with the archive flags on the command line.
 */
final class W9FreshClients {
    static final String USER = "w9";
    static final String PASSWORD = "w9-password";
    private static final String LISTENING = "LISTENING ";
    private static final Pattern LOGGED_IN = Pattern.compile(
            "jpb-thin: timing: logged in (\\d+) ms after start, epoch \\d+, (-?\\d+) ms"
            + " of CPU");
    private static final Pattern SHOWN = Pattern.compile(
            "jpb-thin: first window \\(lab\\) shown (\\d+) ms after start");
    private static final Pattern PAINTED = Pattern.compile("jpb-thin: timing: \"Lab\" #people"
            + " laid out with (\\d+) items (\\d+) ms after start, (\\d+) ms after login,"
            + " epoch (\\d+), (-?\\d+) ms of CPU");

    private W9FreshClients() {
    }

    /** One fresh client's first paint. */
    record ColdPaint(long fromLaunch, long fromLogin, long uptime, long loggedIn, long shown,
            long cpu, long cpuAfterLogin, long bytesToClient, long bytesToServer) {
    }

    /**
     * How the clients start: {@code AUTO} as the jar starts itself (its own class-data-sharing
     * archive, written by the first client, used by every later one), {@code NONE} without
     * an archive ({@code -Djpb.thin.cds=false}), {@code MANUAL} with the archive flags on the
     * command line (the first client {@code -XX:ArchiveClassesAtExit}, the others
     * {@code -XX:SharedArchiveFile}).
     */
    enum Cds {
        AUTO, NONE, MANUAL
    }

    /** The server half, in its own JVM: a lab with {@code rows} people; serves until EOF. */
    static void serve(int rows) throws Exception {
        W9LabFirstPaint.headless();
        Path dir = Files.createTempDirectory("w9-lab-server");
        try (LabServer lab = LabServer.start(LabOptions.parse(new String[] {"--port", "0",
                "--no-seed", "--data", dir.toString()}, Map.of()))) {
            lab.store().importPeople(W8LabPeople.people(rows));
            lab.store().users().ensureAdmin(USER, PASSWORD.toCharArray());
            lab.lab().peopleRows(); // the rows in memory, as on a server that ran a while
            System.out.println(LISTENING + lab.port() + " " + lab.fingerprint());
            System.out.flush();
            InputStream in = System.in;
            while (in.read() >= 0) {
                // serve until the parent closes our input (or dies)
            }
        } finally {
            W9LabFirstPaint.delete(dir);
        }
    }

    /**
     * Starts the server process and Xvfb, runs {@code warmups} clients unmeasured, then
     * {@code runs} measured ones, and returns those.
     */
    static List<ColdPaint> run(int rows, int warmups, int runs, Cds cds, Path jar)
            throws Exception {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is not built: mvn -B -q -o -pl"
                    + " pb-benchmarks -am package -DskipTests");
        }
        Path work = Files.createTempDirectory("w9-fresh");
        Path password = work.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path archive = work.resolve("pb-thin-client.jsa");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                W9LabFirstPaint.class.getName(), "--serve", String.valueOf(rows))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Process xvfb = null;
        try {
            String[] listening = awaitLine(server.getInputStream(), LISTENING, 900).substring(
                    LISTENING.length()).split(" ");
            int port = Integer.parseInt(listening[0]);
            String pin = listening[1];
            xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0",
                    "1280x800x24", "-nolisten", "tcp")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String display = ":" + awaitLine(xvfb.getInputStream(), "", 30).strip();
            List<ColdPaint> paints = new ArrayList<>();
            for (int i = 0; i < warmups + runs; i++) {
                List<String> flags = new ArrayList<>();
                // the jar's own archive in a folder of this run's, not the user's cache
                flags.add("-Djpb.thin.cds.dir=" + work.resolve("cds"));
                if (cds == Cds.NONE) {
                    flags.add("-Djpb.thin.cds=false");
                } else if (cds == Cds.MANUAL) {
                    flags.add(i == 0 ? "-XX:ArchiveClassesAtExit=" + archive
                            : "-XX:SharedArchiveFile=" + archive);
                }
                ColdPaint p = client(java, flags, jar, display, pin, port, password, rows);
                if (i >= warmups) {
                    paints.add(p);
                }
                System.out.printf("W9 fresh JVM %s%s: painted %d rows %,d ms after launch,"
                        + " %,d ms after login (JVM uptime %,d; logged in at %,d, window"
                        + " shown at %,d; client CPU %,d ms, %,d of them after login); server"
                        + " sent %,d bytes, client sent %,d%n", i < warmups ? "warm-up "
                        + (i + 1) : "client " + (i - warmups + 1), cds == Cds.NONE ? ""
                        : (i == 0 ? " (writes the CDS archive)" : " (CDS)"), rows,
                        p.fromLaunch(), p.fromLogin(), p.uptime(), p.loggedIn(), p.shown(),
                        p.cpu(), p.cpuAfterLogin(), p.bytesToClient(), p.bytesToServer());
                if (cds == Cds.MANUAL && i == 0 && !Files.isRegularFile(archive)) {
                    throw new IllegalStateException("the first client wrote no CDS archive at "
                            + archive);
                }
                if (cds == Cds.AUTO && i == 0 && !hasArchive(work.resolve("cds"))) {
                    throw new IllegalStateException("the first client left no CDS archive in "
                            + work.resolve("cds"));
                }
            }
            return paints;
        } finally {
            server.getOutputStream().close();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            if (xvfb != null) {
                xvfb.destroy();
                xvfb.waitFor(10, TimeUnit.SECONDS);
            }
            W9LabFirstPaint.delete(work);
        }
    }

    private static ColdPaint client(String java, List<String> flags, Path jar, String display,
            String pin, int port, Path password, int rows) throws Exception {
        try (W9LabFirstPaint.Relay relay = new W9LabFirstPaint.Relay(port)) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(flags);
            cmd.add("-D" + "jpb.thin.timing=true");
            cmd.addAll(List.of("-jar", jar.toString(), "--pin", pin, "--user", USER,
                    "--password-file", password.toString(), "127.0.0.1",
                    String.valueOf(relay.port())));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("DISPLAY", display);
            long launched = System.currentTimeMillis();
            Process p = pb.start();
            try {
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader in = new BufferedReader(new InputStreamReader(
                            p.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String l; (l = in.readLine()) != null; ) {
                            lines.add(l);
                        }
                    } catch (IOException e) {
                        // the client is gone
                    }
                    lines.add("<end>");
                }, "w9-client-output");
                reader.setDaemon(true);
                reader.start();
                long loggedIn = -1;
                long loginCpu = -1;
                long shown = -1;
                List<String> seen = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (true) {
                    String line = lines.poll(deadline - System.nanoTime(),
                            TimeUnit.NANOSECONDS);
                    if (line == null || line.equals("<end>")) {
                        throw new IllegalStateException("the client did not paint " + rows
                                + " rows " + (line == null ? "within 120 s" : "and exited")
                                + "; its output:\n" + String.join("\n", seen));
                    }
                    seen.add(line);
                    Matcher m;
                    if ((m = LOGGED_IN.matcher(line)).find()) {
                        loggedIn = Long.parseLong(m.group(1));
                        loginCpu = Long.parseLong(m.group(2));
                    } else if ((m = SHOWN.matcher(line)).find()) {
                        shown = Long.parseLong(m.group(1));
                    } else if ((m = PAINTED.matcher(line)).find()
                            && Integer.parseInt(m.group(1)) == rows) {
                        return new ColdPaint(Long.parseLong(m.group(4)) - launched,
                                Long.parseLong(m.group(3)), Long.parseLong(m.group(2)),
                                loggedIn, shown, Long.parseLong(m.group(5)),
                                Long.parseLong(m.group(5)) - loginCpu,
                                relay.toClient.get(), relay.toServer.get());
                    }
                }
            } finally {
                p.destroy(); // SIGTERM: the JVM exits normally (and writes a CDS archive)
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }

    private static boolean hasArchive(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".jsa"));
        }
    }

    /** Reads lines until one starts with {@code prefix}; other lines go to stderr. */
    private static String awaitLine(InputStream in, String prefix, int seconds)
            throws Exception {
        BlockingQueue<String> found = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                BufferedReader r = new BufferedReader(new InputStreamReader(in,
                        StandardCharsets.UTF_8));
                boolean done = false;
                for (String l; (l = r.readLine()) != null; ) {
                    if (!done && l.startsWith(prefix)) {
                        done = true;
                        found.add(l);
                    } else {
                        System.err.println("[w9] " + l);
                    }
                }
            } catch (IOException e) {
                // closed
            }
            found.add("\0");
        }, "w9-await-line");
        reader.setDaemon(true);
        reader.start();
        String line = found.poll(seconds, TimeUnit.SECONDS);
        if (line == null || line.equals("\0")) {
            throw new IllegalStateException("no line starting with '" + prefix + "' within "
                    + seconds + " s");
        }
        return line;
    }
}
