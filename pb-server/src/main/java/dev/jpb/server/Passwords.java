package dev.jpb.server;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.internal.login.ScramKeys;
import dev.jpb.internal.login.Usernames;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * In-memory credentials: a salted SCRAM-SHA-256 {@linkplain ScramVerifier verifier} per user,
 * never the password itself. Enable login with
 * {@code PbServer.builder().realm(realm).passwords(passwords)}.
 *
 * <pre>{@code
 * Passwords passwords = Passwords.create().add("alice", aliceChars).add("bob", bobChars);
 * }</pre>
 *
 * <p>User names are prepared with SASLprep (RFC 4013) when added, as SCRAM clients prepare the
 * name they send. Each verifier is derived with the {@linkplain #iterations(int) iteration
 * count} in force when it is added (default {@value #DEFAULT_ITERATIONS}, RFC 7677's minimum;
 * more makes offline guessing slower and costs the client as much per login). Thread-safe:
 * users may be added and removed while the server runs; a login in progress keeps the verifier
 * it started with.
 */
public final class Passwords implements CredentialStore {
    /** The default PBKDF2 iteration count, RFC 7677's minimum for SCRAM-SHA-256. */
    public static final int DEFAULT_ITERATIONS = ScramKeys.MIN_ITERATIONS;

    private final ConcurrentMap<String, ScramVerifier> users = new ConcurrentHashMap<>();
    private volatile int iterations = DEFAULT_ITERATIONS;

    private Passwords() {
    }

    /** {@return an empty store with the default iteration count} */
    public static Passwords create() {
        return new Passwords();
    }

    /**
     * Sets the iteration count for users added from now on (existing verifiers keep theirs).
     *
     * @param iterations the PBKDF2 iteration count, at least 4096; default
     *     {@link #DEFAULT_ITERATIONS}
     * @return this store
     * @throws IllegalArgumentException if {@code iterations < 4096}
     */
    public Passwords iterations(int iterations) {
        checkArgument(iterations >= ScramKeys.MIN_ITERATIONS, "iterations: " + iterations
                + " (expected: >= " + ScramKeys.MIN_ITERATIONS + ", RFC 7677's minimum)");
        this.iterations = iterations;
        return this;
    }

    /** {@return the iteration count new users get} */
    public int iterations() {
        return iterations;
    }

    /**
     * Adds a user, or replaces that user's password. Only the derived verifier is kept. The
     * {@code password} array is read and neither kept nor changed: clear it yourself
     * ({@code Arrays.fill(password, '\0')}) once this returns, if it came from a prompt.
     *
     * @param username the user's name; stored SASLprep'd
     * @param password the user's password, not empty
     * @return this store
     * @throws IllegalArgumentException if the user name is empty or holds characters SASLprep
     *     prohibits, or the password is empty
     */
    public Passwords add(String username, char[] password) {
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        String name = Usernames.prepare(username);
        users.put(name, ScramVerifier.create(password, iterations));
        return this;
    }

    /**
     * Adds a user with a verifier made elsewhere (e.g. {@link ScramVerifier#parse} of a stored
     * line), or replaces that user's.
     *
     * @param username the user's name; stored SASLprep'd
     * @param verifier the user's verifier
     * @return this store
     * @throws IllegalArgumentException if the user name is empty or holds characters SASLprep
     *     prohibits
     */
    public Passwords add(String username, ScramVerifier verifier) {
        requireNonNull(username, "username");
        requireNonNull(verifier, "verifier");
        users.put(Usernames.prepare(username), verifier);
        return this;
    }

    /**
     * Removes a user; logins already past their first message are not affected.
     *
     * @param username the user's name; removing an unknown user does nothing
     * @return this store
     */
    public Passwords remove(String username) {
        requireNonNull(username, "username");
        users.remove(Usernames.prepare(username));
        return this;
    }

    /**
     * Returns whether the user exists.
     *
     * @param username the user's name, SASLprep'd before the look-up
     * @return whether the store holds a verifier for the user
     */
    public boolean contains(String username) {
        requireNonNull(username, "username");
        return users.containsKey(Usernames.prepare(username));
    }

    @Override
    public Optional<ScramVerifier> verifier(String username) {
        requireNonNull(username, "username");
        return Optional.ofNullable(users.get(username));
    }

    /** Returns the current {@linkplain #iterations() iteration count}. */
    @Override
    public int iterationsForUnknownUsers() {
        return iterations;
    }

    /** Returns the number of users; never names or verifiers. */
    @Override
    public String toString() {
        return "Passwords[" + users.size() + " users, iterations=" + iterations + "]";
    }
}
