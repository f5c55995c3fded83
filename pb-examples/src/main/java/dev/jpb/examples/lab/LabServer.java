package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.examples.lab.data.LabStore;
import dev.jpb.examples.lab.http.PeopleHttpServer;
import dev.jpb.examples.lab.ui.LabUi;
import dev.jpb.TlsIdentity;
import dev.jpb.server.PbServer;
import dev.jpb.thin.ThinTypes;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The lab server: the lab's data in a database (H2 under {@code --data} by default,
 * PostgreSQL with {@code --jdbc}), served over TLS on {@code --port} to jpb clients that log
 * in (the {@link LabRoot} serves nothing of the data; thin clients get the pushed lab UI), and
 * read-only as JSON over HTTP ({@code GET /api/people}) on {@code --http-port}. The TLS
 * identity lives in the data folder ({@link #identity}); clients pin {@link #fingerprint()}. Users log in against the salted
 * verifiers in the database ({@link LabStore#users()}); each gets a station perspective whose
 * {@code attach(display)} pushes the UI, with an operator's or a viewer's rights.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.lab.LabServer \
 *     -Dexec.args="--port 8800 --http-port 8801"
 * </pre>
 *
 * <p>{@code --demo} runs the server and two simulated clients headless ({@link LabDemo});
 * {@code --add-user} adds a user and exits ({@link LabAddUser}).
 */
public final class LabServer implements AutoCloseable {
    /** The types that cross the jpb wire by copy; clients register the same. */
    public static final List<Class<?>> WIRE_TYPES = List.of(PersonView.class,
            AddressView.class, TeamView.class, BadgeView.class, FieldError.class,
            NotAnOperatorError.class, StepNotReadyError.class, StationError.class);

    /** The file in the data folder holding the server's certificate (PEM). */
    public static final String CERTIFICATE_FILE = "server.pem";
    /** The file in the data folder holding the server's private key (PEM, owner only). */
    public static final String KEY_FILE = "server-key.pem";
    /** The file in the data folder holding the fingerprint clients pin, on one line. */
    public static final String FINGERPRINT_FILE = "fingerprint.txt";

    private final LabStore store;
    private final LabService lab;
    private final PbServer server;
    private final PeopleHttpServer http;
    private final TlsIdentity identity;

    private LabServer(LabStore store, LabService lab, PbServer server, PeopleHttpServer http,
            TlsIdentity identity) {
        this.store = store;
        this.lab = lab;
        this.server = server;
        this.http = http;
        this.identity = identity;
    }

    /**
     * Loads the server's TLS identity from the data folder, or makes one there (a new EC key,
     * self-signed for {@code localhost}, {@code 127.0.0.1} and {@code host}) on the first start,
     * and writes its fingerprint to {@value #FINGERPRINT_FILE} beside it.
     *
     * @throws java.io.UncheckedIOException if the folder or the files cannot be written
     */
    public static TlsIdentity identity(Path dataDir, String host) {
        try {
            Files.createDirectories(dataDir);
            Set<String> names = new LinkedHashSet<>(List.of("127.0.0.1", host));
            TlsIdentity identity = TlsIdentity.loadOrCreateSelfSigned(
                    dataDir.resolve(CERTIFICATE_FILE), dataDir.resolve(KEY_FILE), "localhost",
                    names.toArray(new String[0]));
            Files.writeString(dataDir.resolve(FINGERPRINT_FILE), identity.fingerprint() + "\n");
            return identity;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the lab's TLS identity in " + dataDir
                    + ": " + e.getMessage() + "; give a writable folder with --data", e);
        }
    }

    /**
     * Opens the database (creating its schema if needed), seeds an empty one with
     * {@link DemoData} if {@link LabOptions#seed()}, and starts listening.
     * {@link LabOptions#admin()} is not handled here: see {@link #main}.
     *
     * @throws RuntimeException if the database cannot be opened or a port bound; what was
     *     opened is closed again
     */
    public static LabServer start(LabOptions options) {
        requireNonNull(options, "options");
        TlsIdentity identity = identity(options.dataDir(), options.host());
        LabStore store = LabStore.open(options.database());
        PbServer server = null;
        try {
            if (options.seed()) {
                DemoData.seedIfEmpty(store);
            }
            // Users log in against the verifiers in the database; the realm hands each a
            // station perspective with its role, whose attach(display) pushes the UI. The
            // root serves nothing of the data: an anonymous connection reads nothing.
            LabService lab = new LabService(store);
            server = PbServer.builder()
                    .root(new LabRoot())
                    .realm(new LabRealm(store.users(), lab, new LabUi(lab)))
                    .credentials(store.users())
                    .tls(identity)
                    .bind(options.host(), options.port())
                    .register(WIRE_TYPES.toArray(new Class<?>[0]))
                    .register(ThinTypes.classes())
                    .build()
                    .start();
            PeopleHttpServer http = options.httpPort() < 0 ? null
                    : PeopleHttpServer.start(store, options.host(), options.httpPort());
            return new LabServer(store, lab, server, http, identity);
        } catch (Throwable t) { // whatever went wrong, close what was opened
            if (server != null) {
                server.close();
            }
            store.close();
            throw t;
        }
    }

    /** Returns the jpb port. */
    public int port() {
        return server.port();
    }

    /** Returns the fingerprint of the server's TLS certificate, which clients pin. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    /** Returns the HTTP JSON port, or -1 if HTTP is off. */
    public int httpPort() {
        return http == null ? -1 : http.port();
    }

    /** Returns the store (owned by this server: closed by {@link #close()}). */
    public LabStore store() {
        return store;
    }

    /** Returns what the connections share: the edits, the live table, the procedure. */
    public LabService lab() {
        return lab;
    }

    /** Returns the jpb server. */
    public PbServer pbServer() {
        return server;
    }

    /** Stops listening on both ports, then closes the database. */
    @Override
    public void close() {
        try {
            if (http != null) {
                http.close();
            }
            server.close();
        } finally {
            store.close();
        }
    }

    /**
     * Runs the server until the process is stopped; see {@link LabOptions#USAGE}. Exits 2 on a
     * bad command line; with {@code --demo} exits with {@link LabDemo}'s status.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        // Hibernate through SLF4J, quiet unless something is wrong (before any logger exists).
        System.setProperty("org.jboss.logging.provider", "slf4j");
        if (System.getProperty("org.slf4j.simpleLogger.log.org.hibernate") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.hibernate", "warn");
            System.setProperty("org.slf4j.simpleLogger.log.org.hibernate.orm.connections"
                    + ".pooling", "error");
        }
        if (LabAddUser.requested(args)) {
            System.exit(addUser(args));
            return;
        }
        LabOptions options;
        try {
            options = LabOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.demo()) {
            System.exit(LabDemo.run(System.out));
            return;
        }
        LabServer lab = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "lab-shutdown"));
        if (options.admin() != null) {
            char[] password = adminPassword(options.admin());
            try {
                boolean created = lab.store().users().ensureAdmin(options.admin(), password);
                System.out.println(created ? "operator " + options.admin() + " created"
                        : "operator " + options.admin() + " exists; password left as it was");
            } finally {
                Arrays.fill(password, '\0');
            }
        }
        System.out.println("lab data in " + lab.store().database());
        System.out.println("lab server listening on " + options.host() + ":" + lab.port()
                + " (TLS, login), identity " + lab.fingerprint() + " (also in "
                + options.dataDir().resolve(FINGERPRINT_FILE) + ")");
        System.out.println("thin client: java -jar pb-thin/target/pb-thin-client.jar --pin "
                + lab.fingerprint() + " --user " + (options.admin() == null ? "NAME"
                : options.admin()) + " " + options.host() + " " + lab.port());
        if (lab.httpPort() >= 0) {
            System.out.println("JSON view: http://" + options.host() + ":" + lab.httpPort()
                    + "/api/people");
        }
        Thread.currentThread().join();
    }

    /** {@code --add-user}: 0 when added, 2 on a bad command line, 1 if refused. */
    private static int addUser(String[] args) {
        try {
            System.out.println(LabAddUser.parse(args, System.getenv()).run(System.getenv()));
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (RuntimeException e) { // a taken name, a database in use by a running server
            System.err.println("--add-user: " + e.getMessage());
            return 1;
        }
    }

    private static char[] adminPassword(String admin) throws IOException {
        String env = System.getenv(LabOptions.ADMIN_PASSWORD_ENV);
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("password for %s: ", admin);
            if (typed != null && typed.length > 0) {
                return typed;
            }
        } else {
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line != null && !line.isEmpty()) {
                return line.toCharArray();
            }
        }
        throw new IllegalArgumentException("--admin " + admin + ": no password; set "
                + LabOptions.ADMIN_PASSWORD_ENV + " or type it on stdin");
    }
}
