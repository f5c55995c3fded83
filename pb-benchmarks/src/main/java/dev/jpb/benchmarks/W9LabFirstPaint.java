package dev.jpb.benchmarks;

import dev.jpb.examples.lab.LabOptions;
import dev.jpb.examples.lab.LabServer;
import dev.jpb.examples.lab.ui.LabUi;
import dev.jpb.thin.ThinClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;

/**
 * The lab's people table reaching a thin client's screen (issue 17's target: 10,000 rows,
 * first paint in under a second): a lab server over TLS on an H2 file with {@code ROWS}
 * people, and the generic thin client connecting to it through a byte-counting TCP relay.
 * Each run times, from {@code ThinClient.connect} to the first layout pulse of the window's
 * scene with every row in its table: the TLS handshake, the login, {@code attach}, the pushed
 * bundle (FXML, CSS, controller classes) and the controller's {@code live()} call, which
 * answers the people table as an observed copy; and counts the bytes the server sent (TLS
 * records included). Not JMH: a GUI's first paint is one shot per client, so
 * it runs {@code RUNS} clients and prints each. By default each client is a fresh JVM started
 * as a user starts {@code pb-thin-client.jar}, against a lab server in a process of its own
 * ({@link W9FreshClients}: the cold figure a user sees); with {@code --in-jvm} the clients
 * run one after another in this JVM (headless JavaFX, Monocle), sharing it with the server:
 * after the first, the warm figure.
 *
 * <p>{@code java -cp pb-benchmarks/target/benchmarks.jar dev.jpb.benchmarks.W9LabFirstPaint
 * [--in-jvm | --cds | --no-cds] [--warmups N] [--jar PATH] [ROWS [RUNS]]}
 */
public final class W9LabFirstPaint {
    private W9LabFirstPaint() {
    }

    /**
     * One client's first paint.
     *
     * @param millis from connect to the first layout pulse with every row
     * @param shownMillis from connect to the window showing (bundle loaded, table empty)
     * @param rowsMillis from connect to the table holding every row
     * @param dbMillis the server's {@code store.peopleTable()} alone, timed just before
     * @param cpuMillis CPU time the whole process (client and server) used from connect to
     *     paint: on a loaded machine, what the run cost as opposed to how long it waited
     * @param bytesToClient bytes the server sent, TLS included
     * @param bytesToServer bytes the client sent
     * @param fxRowsCpuMillis CPU time of the FX thread from the window showing to the table
     *     holding every row (decoding the observed table, building the rows, setAll)
     * @param fxPaintCpuMillis CPU time of the FX thread from then to the first paint (the
     *     table's first layout and rendering)
     */
    public record Paint(double millis, double shownMillis, double rowsMillis, double dbMillis,
            double cpuMillis, long bytesToClient, long bytesToServer, double fxRowsCpuMillis,
            double fxPaintCpuMillis) {
    }

    /**
     * Runs the benchmark: by default fresh client JVMs against a server process
     * ({@link W9FreshClients}); with {@code --in-jvm}, clients one after another in this JVM.
     *
     * @param args {@code [--in-jvm | --cds | --no-cds] [--warmups N] [--jar PATH] [ROWS [RUNS]]}
     */
    public static void main(String[] args) throws Exception {
        boolean inJvm = false;
        W9FreshClients.Cds cds = W9FreshClients.Cds.AUTO;
        int warmups = 2;
        Path jar = Path.of("pb-thin", "target", "pb-thin-client.jar");
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> {
                    W9FreshClients.serve(Integer.parseInt(args[i + 1]));
                    return;
                }
                case "--in-jvm" -> inJvm = true;
                case "--cds" -> cds = W9FreshClients.Cds.MANUAL;
                case "--no-cds" -> cds = W9FreshClients.Cds.NONE;
                case "--warmups" -> warmups = Integer.parseInt(args[++i]);
                case "--jar" -> jar = Path.of(args[++i]);
                default -> numbers.add(args[i]);
            }
        }
        int rows = numbers.size() > 0 ? Integer.parseInt(numbers.get(0)) : 10_000;
        int runs = numbers.size() > 1 ? Integer.parseInt(numbers.get(1)) : 7;
        if (!inJvm) {
            List<W9FreshClients.ColdPaint> paints = W9FreshClients.run(rows, warmups, runs,
                    cds, jar);
            double[] launch = paints.stream().mapToDouble(W9FreshClients.ColdPaint::fromLaunch)
                    .sorted().toArray();
            double[] login = paints.stream().mapToDouble(W9FreshClients.ColdPaint::fromLogin)
                    .sorted().toArray();
            double[] cpu = paints.stream()
                    .mapToDouble(W9FreshClients.ColdPaint::cpuAfterLogin).sorted().toArray();
            double[] bytes = paints.stream()
                    .mapToDouble(W9FreshClients.ColdPaint::bytesToClient).sorted().toArray();
            System.out.printf("W9 fresh JVMs%s, %d rows: from launch median %.0f ms (min %.0f,"
                    + " max %.0f); from login median %.0f ms (min %.0f, max %.0f), client CPU"
                    + " after login median %.0f ms; server sent median %,.0f bytes; over %d"
                    + " clients (load average %s)%n", switch (cds) {
                        case AUTO -> " (the jar's own CDS archive)";
                        case NONE -> " without CDS (-Djpb.thin.cds=false)";
                        case MANUAL -> " with CDS flags on the command line";
                    }, rows, median(launch), launch[0],
                    launch[launch.length - 1], median(login), login[0],
                    login[login.length - 1], median(cpu), median(bytes), paints.size(),
                    loadAverage());
            return;
        }
        headless();
        List<Paint> paints = run(rows, runs);
        for (int i = 0; i < paints.size(); i++) {
            Paint p = paints.get(i);
            System.out.printf("W9 run %d: %d rows painted %.0f ms after connect (window shown"
                    + " at %.0f, rows in the table at %.0f; store.peopleTable() alone %.0f ms;"
                    + " process CPU %.0f ms; FX thread CPU %.0f ms to fill the table, %.0f ms"
                    + " to paint it); server sent %,d bytes, client sent %,d%n", i + 1,
                    rows, p.millis(), p.shownMillis(), p.rowsMillis(), p.dbMillis(),
                    p.cpuMillis(), p.fxRowsCpuMillis(), p.fxPaintCpuMillis(),
                    p.bytesToClient(), p.bytesToServer());
        }
        double[] ms = paints.stream().mapToDouble(Paint::millis).sorted().toArray();
        System.out.printf("W9 %d rows: median %.0f ms, min %.0f, max %.0f over %d clients%n",
                rows, ms[ms.length / 2], ms[0], ms[ms.length - 1], ms.length);
        Platform.exit();
        System.exit(0);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Deletes a directory tree. */
    static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Monocle's headless glass and the software renderer, unless a platform is chosen. */
    static void headless() {
        if (System.getProperty("glass.platform") == null) {
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
            System.setProperty("java.awt.headless", "true");
        }
        System.setProperty("org.jboss.logging.provider", "slf4j");
    }

    private static final String USER = "w9";
    private static final String PASSWORD = "w9-password";

    /** Starts a lab with {@code rows} people and paints its table in {@code runs} clients. */
    public static List<Paint> run(int rows, int runs) throws Exception {
        Path dir = Files.createTempDirectory("w9-lab");
        try (LabServer lab = LabServer.start(LabOptions.parse(new String[] {"--port", "0",
                "--no-seed", "--data", dir.toString()}, Map.of()))) {
            lab.store().importPeople(W8LabPeople.people(rows));
            // the lab pushes its UI only after login: an operator for the benchmark's clients
            lab.store().users().ensureAdmin(USER, PASSWORD.toCharArray());
            List<Paint> paints = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                paints.add(paint(lab, rows));
            }
            return paints;
        } finally {
            delete(dir);
        }
    }

    private static Paint paint(LabServer lab, int rows) throws Exception {
        long db = System.nanoTime();
        lab.store().peopleTable();
        double dbMillis = (System.nanoTime() - db) / 1e6;
        CountDownLatch painted = new CountDownLatch(1);
        AtomicLong paintedAt = new AtomicLong();
        AtomicLong shownAt = new AtomicLong();
        AtomicLong rowsAt = new AtomicLong();
        long[] fxCpu = new long[3]; // FX thread CPU at shown, rows, painted; written on it
        try (Relay relay = new Relay(lab.port())) {
            long cpu = processCpuNanos();
            long start = System.nanoTime();
            try (ThinClient client = ThinClient.builder().pin(lab.fingerprint())
                    .login(USER, PASSWORD.toCharArray())
                    .onShown(id -> {
                        shownAt.set(System.nanoTime());
                        fxCpu[0] = threadCpu();
                        whenFull(rows, painted, paintedAt, rowsAt, fxCpu);
                    })
                    .connect("127.0.0.1", relay.port())) {
                if (!painted.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the table did not fill within 60 s");
                }
            }
            double cpuMillis = (processCpuNanos() - cpu) / 1e6;
            return new Paint((paintedAt.get() - start) / 1e6, (shownAt.get() - start) / 1e6,
                    (rowsAt.get() - start) / 1e6, dbMillis, cpuMillis, relay.toClient.get(),
                    relay.toServer.get(), (fxCpu[1] - fxCpu[0]) / 1e6,
                    (fxCpu[2] - fxCpu[1]) / 1e6);
        }
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** On the FX thread, once the window shows: note the first pulse with every row. */
    private static void whenFull(int rows, CountDownLatch painted, AtomicLong paintedAt,
            AtomicLong rowsAt, long[] fxCpu) {
        Stage stage = javafx.stage.Window.getWindows().stream()
                .filter(w -> w instanceof Stage st && st.isShowing()
                        && LabUi.SPEC.title().equals(st.getTitle()))
                .map(Stage.class::cast).reduce((a, b) -> b).orElseThrow();
        Scene scene = stage.getScene();
        TableView<?> table = (TableView<?>) scene.getRoot().lookup("#people");
        Runnable[] pulse = new Runnable[1];
        pulse[0] = () -> {
            if (table.getItems().size() == rows && painted.getCount() > 0) {
                paintedAt.set(System.nanoTime());
                fxCpu[2] = threadCpu();
                painted.countDown();
                Platform.runLater(() -> scene.removePostLayoutPulseListener(pulse[0]));
            }
        };
        scene.addPostLayoutPulseListener(pulse[0]);
        table.getItems().addListener((ListChangeListener<Object>) c -> {
            if (table.getItems().size() == rows && rowsAt.get() == 0) {
                rowsAt.set(System.nanoTime());
                fxCpu[1] = threadCpu();
            }
            Platform.requestNextPulse();
        });
    }

    /** A TCP relay on 127.0.0.1 that counts the bytes each way (all its connections). */
    static final class Relay implements AutoCloseable {
        final AtomicLong toClient = new AtomicLong();
        final AtomicLong toServer = new AtomicLong();
        private final ServerSocket listener;
        private final List<Socket> sockets = new ArrayList<>();

        Relay(int serverPort) throws IOException {
            listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            // every connection the client makes (a reconnecting client retries after a
            // handshake that timed out on a loaded machine); the counts are their sum
            Thread accept = new Thread(() -> {
                try {
                    while (true) {
                        Socket client = listener.accept();
                        Socket server = new Socket(InetAddress.getLoopbackAddress(),
                                serverPort);
                        synchronized (sockets) {
                            sockets.add(client);
                            sockets.add(server);
                        }
                        pump(client.getInputStream(), server.getOutputStream(), toServer);
                        pump(server.getInputStream(), client.getOutputStream(), toClient);
                    }
                } catch (IOException e) {
                    // closed: nothing more to relay
                }
            }, "w9-relay-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(InputStream in, OutputStream out, AtomicLong count) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[64 * 1024];
                try (in; out) {
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        out.write(buf, 0, n);
                        out.flush();
                        count.addAndGet(n);
                    }
                } catch (IOException e) {
                    // one side closed: the relay ends
                }
            }, "w9-relay");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            synchronized (sockets) {
                for (Socket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
