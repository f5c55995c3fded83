package dev.jpb.internal.login;

import java.util.Optional;

/**
 * Where the server side of a login finds a user's verifier. The login wiring adapts the
 * application's credential store to this. Called once per login attempt, off the I/O thread
 * (it may block on a database).
 */
@FunctionalInterface
public interface VerifierSource {
    /**
     * Returns the verifier of {@code username} (as the client sent it: SASLprep'd, decoded
     * from SCRAM's {@code =2C}/{@code =3D} escapes), or empty if there is no such user.
     */
    Optional<ScramKeys> find(String username);
}
