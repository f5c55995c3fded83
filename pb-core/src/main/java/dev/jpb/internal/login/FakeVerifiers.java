package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.ongres.scram.common.ScramFunctions;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Verifiers for users that do not exist, so that an unknown user's login runs the same exchange
 * as a real one (RFC 5802 §5.1 suggests this): the salt and keys are HMACs of the user name
 * under a server secret, so asking twice for the same name shows the same salt, as it would for
 * a real user, and nothing distinguishes the name from a registered one until the proof fails.
 * With a secret kept across restarts the salts stay the same across restarts too.
 * Immutable and thread-safe.
 */
public final class FakeVerifiers {
    /** The salt length real verifiers use too. */
    public static final int SALT_LENGTH = 16;

    private final byte[] secret;
    private final int iterations;

    /**
     * Creates fakes under {@code secret} with the given iteration count, which should be the one
     * real verifiers have, so unknown users are not told apart by it.
     */
    public FakeVerifiers(byte[] secret, int iterations) {
        requireNonNull(secret, "secret");
        checkArgument(secret.length >= 16,
                "secret: " + secret.length + " bytes (expected: >= 16)");
        checkArgument(iterations >= ScramKeys.MIN_ITERATIONS, "iterations: " + iterations
                + " (expected: >= " + ScramKeys.MIN_ITERATIONS + ")");
        this.secret = secret.clone();
        this.iterations = iterations;
    }

    /** Creates fakes under a fresh random secret (salts then change on restart). */
    public static FakeVerifiers withRandomSecret(int iterations) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new FakeVerifiers(secret, iterations);
    }

    /** Returns the fake verifier of {@code username}; the same name gives the same verifier. */
    public ScramKeys forUser(String username) {
        requireNonNull(username, "username");
        byte[] salt = Arrays.copyOf(derive("salt", username), SALT_LENGTH);
        return new ScramKeys(salt, iterations, derive("stored-key", username),
                derive("server-key", username));
    }

    private byte[] derive(String label, String username) {
        byte[] message = ("jpb fake verifier\0" + label + "\0" + username)
                .getBytes(StandardCharsets.UTF_8);
        return ScramFunctions.hmac(ScramKeys.MECHANISM, secret, message);
    }
}
