package dev.jpb.examples.lab.data;

import static java.util.Objects.requireNonNull;

import com.ongres.saslprep.SASLprep;
import dev.jpb.examples.lab.FieldError;
import dev.jpb.server.CredentialStore;
import dev.jpb.server.Passwords;
import dev.jpb.server.ScramVerifier;
import java.util.Optional;

/**
 * The users who may log in to the lab, stored in its database as salted SCRAM-SHA-256
 * verifiers (table {@code lab_user}), never as passwords; a {@link CredentialStore}, so the
 * server's login checks against it directly. Names are stored SASLprep'd, as SCRAM clients
 * send them.
 *
 * <p>Thread-safe; every method blocks on the database.
 */
public final class LabUsers implements CredentialStore {
    private static final SASLprep SASL_PREP = new SASLprep();

    private final LabStore store;
    private volatile int iterations = Passwords.DEFAULT_ITERATIONS;

    LabUsers(LabStore store) {
        this.store = store;
    }

    /**
     * Sets the PBKDF2 iteration count for verifiers made from now on (default
     * {@value Passwords#DEFAULT_ITERATIONS}).
     *
     * @throws IllegalArgumentException if {@code iterations < 4096}
     */
    public LabUsers iterations(int iterations) {
        if (iterations < Passwords.DEFAULT_ITERATIONS) {
            throw new IllegalArgumentException("iterations: " + iterations + " (expected: >= "
                    + Passwords.DEFAULT_ITERATIONS + ", RFC 7677's minimum)");
        }
        this.iterations = iterations;
        return this;
    }

    /**
     * Adds a user with a verifier derived from {@code password}, which is read and neither kept
     * nor changed (clear it yourself).
     *
     * @throws FieldError ({@code "name"}) if the name is empty, prohibited by SASLprep or taken;
     *     ({@code "password"}) if the password is empty
     */
    public void add(String username, char[] password, Role role) {
        requireNonNull(password, "password");
        requireNonNull(role, "role");
        String name = prepare(username);
        if (password.length == 0) {
            throw new FieldError("password", "the password is empty; choose one");
        }
        String verifier = ScramVerifier.create(password, iterations).encode();
        store.write(s -> {
            Long taken = s.createSelectionQuery(
                    "select count(u) from LabUser u where u.name = :n", Long.class)
                    .setParameter("n", name).getSingleResult();
            if (taken > 0) {
                throw new FieldError("name", "there is already a user called " + name);
            }
            s.persist(new LabUser(name, verifier, role));
            return null;
        });
    }

    /**
     * Creates the first-run administrator: an {@link Role#OPERATOR} with this name and
     * password, unless a user of that name exists already (whose password is then left as it
     * is, so starting the server again with the same option changes nothing).
     *
     * @return whether the user was created
     */
    public boolean ensureAdmin(String username, char[] password) {
        if (role(username).isPresent()) {
            return false;
        }
        add(username, password, Role.OPERATOR);
        return true;
    }

    /** Returns the user's role, or empty if there is no such user. */
    public Optional<Role> role(String username) {
        String name = prepare(username);
        return store.read(s -> s.createSelectionQuery(
                        "select u.role from LabUser u where u.name = :n", Role.class)
                .setParameter("n", name).getResultList().stream().findFirst());
    }

    /** Returns how many users there are. */
    public long count() {
        return store.read(s -> s.createSelectionQuery("select count(u) from LabUser u",
                Long.class).getSingleResult());
    }

    @Override
    public Optional<ScramVerifier> verifier(String username) {
        requireNonNull(username, "username");
        return store.read(s -> s.createSelectionQuery(
                        "select u.verifier from LabUser u where u.name = :n", String.class)
                .setParameter("n", username).getResultList().stream().findFirst()
                .map(ScramVerifier::parse));
    }

    @Override
    public int iterationsForUnknownUsers() {
        return iterations;
    }

    private static String prepare(String username) {
        requireNonNull(username, "username");
        String prepared;
        try {
            prepared = SASL_PREP.prepareStored(username);
        } catch (IllegalArgumentException e) {
            throw new FieldError("name", "the user name holds characters SASLprep prohibits ("
                    + e.getMessage() + "); use letters, digits and punctuation");
        }
        if (prepared.isEmpty()) {
            throw new FieldError("name", "the user name is empty; type one");
        }
        return prepared;
    }
}
