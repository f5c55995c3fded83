package dev.jpb.examples.lab.data;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Where the lab keeps its data: a JDBC URL with optional credentials. The default is an H2
 * database in a file under the data folder (nothing to install); any PostgreSQL URL works the
 * same, the tables and foreign keys being created by Hibernate on first start.
 *
 * @param url a JDBC URL, e.g. {@code jdbc:h2:file:/srv/lab/lab} or
 *     {@code jdbc:postgresql://localhost/lab}
 * @param user the database user, or null to take it from the URL (or the driver's default)
 * @param password the database password, or null likewise; never printed by {@link #toString()}
 */
public record LabDatabase(String url, String user, String password) {
    /** The file name (without H2's {@code .mv.db} suffix) of the embedded database. */
    public static final String H2_FILE = "lab";

    /** Checks the URL. */
    public LabDatabase {
        requireNonNull(url, "url");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("url: " + url
                    + " (expected: a JDBC URL such as jdbc:postgresql://localhost/lab)");
        }
    }

    /** Returns the embedded H2 database in the file {@code lab.mv.db} under {@code dataDir}. */
    public static LabDatabase h2(Path dataDir) {
        requireNonNull(dataDir, "dataDir");
        Path file = dataDir.toAbsolutePath().resolve(H2_FILE);
        return new LabDatabase("jdbc:h2:file:" + file, null, null);
    }

    /** Returns whether this is a PostgreSQL URL. */
    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** Returns the URL without its query parameters (they may hold a password), and the user. */
    @Override
    public String toString() {
        int q = url.indexOf('?');
        return (q < 0 ? url : url.substring(0, q)) + (user == null ? "" : " as " + user);
    }
}
