package dev.jpb.server;

import java.util.Optional;

/**
 * Where the server finds users' SCRAM verifiers. {@link Passwords} is the in-memory store;
 * an application that keeps users in its own database implements this interface, storing a
 * {@link ScramVerifier} per user (its {@link ScramVerifier#encode() encoded} text fits a
 * single column) and never the password.
 *
 * <p>Called once per login attempt on the application's executor, never on an I/O thread, so it
 * may block on a database; it must be thread-safe.
 */
public interface CredentialStore {
    /**
     * Returns the verifier of {@code username}, or empty if there is no such user. Unknown users
     * are not an error: the login then runs against a fake verifier and fails exactly like a
     * wrong password, so clients cannot tell which names exist. An exception thrown here fails
     * that login and is logged.
     *
     * @param username the name the client sent, SASLprep'd (RFC 4013) as SCRAM prescribes;
     *     store names in that form too (see {@link Passwords#add})
     * @return the user's verifier, or empty if there is no such user
     */
    Optional<ScramVerifier> verifier(String username);

    /**
     * Returns the iteration count that fake verifiers for unknown users show. It should be the
     * count real verifiers have, so it does not tell unknown users apart. Default
     * {@link Passwords#DEFAULT_ITERATIONS}.
     *
     * @return the PBKDF2 iteration count shown for unknown users
     */
    default int iterationsForUnknownUsers() {
        return Passwords.DEFAULT_ITERATIONS;
    }
}
