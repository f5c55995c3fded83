package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.examples.lab.data.LabDatabase;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@link LabServer}'s command line, parsed.
 *
 * @param host the address the jpb port binds to (default {@code 127.0.0.1})
 * @param port the jpb port (default {@value #DEFAULT_PORT}; 0 = any free port)
 * @param httpPort the HTTP JSON port, 0 for any free port, or -1 for none (the default)
 * @param dataDir the data folder (default {@code ./lab-data}), home of the H2 file
 * @param database the database: H2 under {@code dataDir} unless {@code --jdbc} was given
 * @param admin the first-run administrator's name, or null
 * @param seed whether an empty database gets the demo data set (default yes)
 * @param demo whether to run the headless demo and exit
 */
public record LabOptions(String host, int port, int httpPort, Path dataDir,
        LabDatabase database, String admin, boolean seed, boolean demo) {
    /** The default jpb port. */
    public static final int DEFAULT_PORT = 8800;
    /** The environment variable holding the database password for {@code --jdbc}. */
    public static final String DB_PASSWORD_ENV = "LAB_DB_PASSWORD";
    /** The environment variable holding the {@code --admin} user's password. */
    public static final String ADMIN_PASSWORD_ENV = "LAB_ADMIN_PASSWORD";

    /** What {@code --help} prints. */
    public static final String USAGE = String.join("\n",
            "usage: LabServer [options]",
            "  --port N         jpb port (default " + DEFAULT_PORT + ", 0 = any free port)",
            "  --host ADDR      address to bind (default 127.0.0.1)",
            "  --http-port N    also serve GET /api/people as JSON on port N (0 = any free)",
            "  --data DIR       data folder, home of the H2 database (default ./lab-data)",
            "  --jdbc URL       use this database instead, e.g. jdbc:postgresql://host/lab",
            "  --db-user NAME   database user for --jdbc (password: env " + DB_PASSWORD_ENV + ")",
            "  --admin NAME     create this operator if missing (password: env "
                    + ADMIN_PASSWORD_ENV + ", else the first line of stdin)",
            "  --no-seed        leave an empty database empty (default: demo data set)",
            "  --demo           run the server and two simulated clients headless, then exit",
            "  --add-user NAME --role viewer|operator [--password-file FILE]",
            "                   add a user and exit (password: FILE's first line, else env "
                    + LabAddUser.PASSWORD_ENV + ")");

    /** Checks the fields. */
    public LabOptions {
        requireNonNull(host, "host");
        requireNonNull(dataDir, "dataDir");
        requireNonNull(database, "database");
    }

    /**
     * Parses the command line.
     *
     * @param env where {@value #DB_PASSWORD_ENV} is looked up (normally {@code System.getenv()})
     * @throws IllegalArgumentException with a message saying what is wrong, and the usage
     */
    public static LabOptions parse(String[] args, Map<String, String> env) {
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        int httpPort = -1;
        Path dataDir = Path.of("lab-data");
        String jdbc = null;
        String dbUser = null;
        String admin = null;
        boolean seed = true;
        boolean demo = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--port" -> port = portValue(a, value(args, ++i, a));
                case "--http-port" -> httpPort = portValue(a, value(args, ++i, a));
                case "--host" -> host = value(args, ++i, a);
                case "--data" -> dataDir = Path.of(value(args, ++i, a));
                case "--jdbc" -> jdbc = value(args, ++i, a);
                case "--db-user" -> dbUser = value(args, ++i, a);
                case "--admin" -> admin = value(args, ++i, a);
                case "--no-seed" -> seed = false;
                case "--demo" -> demo = true;
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + USAGE);
            }
        }
        LabDatabase database;
        if (jdbc == null) {
            if (dbUser != null) {
                throw new IllegalArgumentException("--db-user needs --jdbc\n" + USAGE);
            }
            database = LabDatabase.h2(dataDir);
        } else {
            try {
                database = new LabDatabase(jdbc, dbUser, env.get(DB_PASSWORD_ENV));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--jdbc " + e.getMessage() + "\n" + USAGE, e);
            }
        }
        return new LabOptions(host, port, httpPort, dataDir, database, admin, seed, demo);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static int portValue(String option, String value) {
        try {
            int p = Integer.parseInt(value);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // the message below says what was expected
        }
        throw new IllegalArgumentException(option + " " + value
                + ": not a port (expected: 0 to 65535)\n" + USAGE);
    }
}
