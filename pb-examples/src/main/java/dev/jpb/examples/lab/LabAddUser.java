package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.examples.lab.data.LabStore;
import dev.jpb.examples.lab.data.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code LabServer --add-user NAME --role viewer|operator [--password-file FILE]}: adds a user
 * to the lab's database and exits, without starting the server. The password is read from the
 * first line of {@code FILE}, else from the environment variable {@value #PASSWORD_ENV}; never
 * from the command line, where other users of the machine could read it. The database options
 * ({@code --data}, {@code --jdbc}, {@code --db-user}) are {@link LabOptions}'; the H2 file can
 * be open in one process only, so run this while the server is stopped (PostgreSQL: any time).
 *
 * @param name the new user's name
 * @param role what the user may do
 * @param passwordFile where the password is, or null for {@value #PASSWORD_ENV}
 * @param options the database to write to
 */
public record LabAddUser(String name, Role role, Path passwordFile, LabOptions options) {
    /** The option that selects this command. */
    public static final String OPTION = "--add-user";
    /** The environment variable holding the password when no file is given. */
    public static final String PASSWORD_ENV = "LAB_USER_PASSWORD";
    /** What a bad command line prints. */
    public static final String USAGE = "usage: LabServer --add-user NAME --role viewer|operator"
            + " [--password-file FILE] [--data DIR | --jdbc URL [--db-user NAME]]\n"
            + "  the password: the first line of FILE, else env " + PASSWORD_ENV;

    /** Checks the fields. */
    public LabAddUser {
        requireNonNull(name, "name");
        requireNonNull(role, "role");
        requireNonNull(options, "options");
    }

    /** Returns whether {@code args} ask for this command. */
    public static boolean requested(String[] args) {
        return Arrays.asList(args).contains(OPTION);
    }

    /**
     * Parses the command line: {@code --add-user}, {@code --role}, {@code --password-file},
     * and the rest as {@link LabOptions#parse}.
     *
     * @throws IllegalArgumentException with a message saying what is wrong, and the usage
     */
    public static LabAddUser parse(String[] args, Map<String, String> env) {
        String name = null;
        Role role = null;
        Path file = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case OPTION -> name = value(args, ++i);
                case "--role" -> role = role(value(args, ++i));
                case "--password-file" -> file = Path.of(value(args, ++i));
                case "--password" -> throw new IllegalArgumentException("--password: the"
                        + " password is never given on the command line; put it in a file"
                        + " (--password-file) or in " + PASSWORD_ENV + "\n" + USAGE);
                default -> rest.add(args[i]);
            }
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(OPTION + " needs a user name\n" + USAGE);
        }
        if (role == null) {
            throw new IllegalArgumentException(OPTION + " " + name + " needs --role viewer"
                    + " or --role operator\n" + USAGE);
        }
        LabOptions options = LabOptions.parse(rest.toArray(new String[0]), env);
        return new LabAddUser(name, role, file, options);
    }

    /**
     * Reads the password and adds the user.
     *
     * @param env where {@value #PASSWORD_ENV} is looked up
     * @return a line saying what was done
     * @throws IllegalArgumentException if there is no password
     * @throws FieldError if the name is taken or not allowed
     */
    public String run(Map<String, String> env) {
        char[] password = password(env);
        try (LabStore store = LabStore.open(options.database())) {
            store.users().add(name, password, role);
            return role.name().toLowerCase(Locale.ROOT) + " " + name + " added to "
                    + store.database();
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private char[] password(Map<String, String> env) {
        String text;
        if (passwordFile != null) {
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                text = lines.isEmpty() ? "" : lines.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException("--password-file " + passwordFile
                        + ": cannot read it (" + e.getMessage() + ")", e);
            }
        } else {
            text = env.getOrDefault(PASSWORD_ENV, "");
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(OPTION + " " + name + ": no password; put it on"
                    + " the first line of --password-file FILE, or in " + PASSWORD_ENV);
        }
        return text.toCharArray();
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }

    private static Role role(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "viewer" -> Role.VIEWER;
            case "operator" -> Role.OPERATOR;
            default -> throw new IllegalArgumentException("--role " + value
                    + ": not a role (expected: viewer or operator)\n" + USAGE);
        };
    }
}
