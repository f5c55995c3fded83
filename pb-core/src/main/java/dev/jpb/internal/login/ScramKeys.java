package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A user's SCRAM-SHA-256 verifier (RFC 5802 §3): the salt, the iteration count, StoredKey =
 * H(ClientKey) and ServerKey. It lets a server check a client's proof and sign its answer, but
 * not log in as the user, and the password cannot be read back from it (only guessed, at the
 * cost of {@code iterations} PBKDF2 rounds per guess). Immutable: arrays are copied in and out.
 */
public final class ScramKeys {
    /** The mechanism jpb speaks. */
    public static final ScramMechanism MECHANISM = ScramMechanism.SCRAM_SHA_256;
    /** The least iteration count accepted anywhere: RFC 7677's minimum for SCRAM-SHA-256. */
    public static final int MIN_ITERATIONS = 4096;
    /** The length of StoredKey and ServerKey: one SHA-256 output. */
    public static final int KEY_LENGTH = 32;

    private final byte[] salt;
    private final int iterations;
    private final byte[] storedKey;
    private final byte[] serverKey;

    /**
     * Wraps verifier parts, as loaded from a credential store.
     *
     * @throws IllegalArgumentException if the salt is empty, the keys are not 32 bytes, or the
     *     iteration count is below {@link #MIN_ITERATIONS}
     */
    public ScramKeys(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        requireNonNull(salt, "salt");
        requireNonNull(storedKey, "storedKey");
        requireNonNull(serverKey, "serverKey");
        checkArgument(salt.length > 0, "salt: empty (expected: at least one byte)");
        checkArgument(iterations >= MIN_ITERATIONS,
                "iterations: " + iterations + " (expected: >= " + MIN_ITERATIONS + ")");
        checkArgument(storedKey.length == KEY_LENGTH,
                "storedKey: " + storedKey.length + " bytes (expected: " + KEY_LENGTH + ")");
        checkArgument(serverKey.length == KEY_LENGTH,
                "serverKey: " + serverKey.length + " bytes (expected: " + KEY_LENGTH + ")");
        this.salt = salt.clone();
        this.iterations = iterations;
        this.storedKey = storedKey.clone();
        this.serverKey = serverKey.clone();
    }

    /**
     * Derives a verifier from a password (SASLprep'd as RFC 5802 asks) with scram-common's
     * functions: SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations), then
     * ClientKey, StoredKey and ServerKey. The password array is read, not changed or kept;
     * intermediate secrets are zeroed.
     */
    public static ScramKeys derive(char[] password, byte[] salt, int iterations) {
        requireNonNull(password, "password");
        requireNonNull(salt, "salt");
        checkArgument(password.length > 0, "password: empty (expected: at least one character)");
        checkArgument(iterations >= MIN_ITERATIONS,
                "iterations: " + iterations + " (expected: >= " + MIN_ITERATIONS + ")");
        byte[] saltedPassword = ScramFunctions.saltedPassword(MECHANISM,
                StringPreparation.SASL_PREPARATION, password, salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(MECHANISM, saltedPassword);
        try {
            return new ScramKeys(salt, iterations, ScramFunctions.storedKey(MECHANISM, clientKey),
                    ScramFunctions.serverKey(MECHANISM, saltedPassword));
        } finally {
            Arrays.fill(saltedPassword, (byte) 0);
            Arrays.fill(clientKey, (byte) 0);
        }
    }

    /** Returns a copy of the salt. */
    public byte[] salt() {
        return salt.clone();
    }

    /** Returns the PBKDF2 iteration count. */
    public int iterations() {
        return iterations;
    }

    /** Returns a copy of StoredKey = H(HMAC(SaltedPassword, "Client Key")). */
    public byte[] storedKey() {
        return storedKey.clone();
    }

    /** Returns a copy of ServerKey = HMAC(SaltedPassword, "Server Key"). */
    public byte[] serverKey() {
        return serverKey.clone();
    }

    // Package-private views without copies, for the exchange.
    byte[] saltView() {
        return salt;
    }

    byte[] storedKeyView() {
        return storedKey;
    }

    byte[] serverKeyView() {
        return serverKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramKeys k && iterations == k.iterations
                && MessageDigest.isEqual(salt, k.salt)
                && MessageDigest.isEqual(storedKey, k.storedKey)
                && MessageDigest.isEqual(serverKey, k.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(salt) * 31 + iterations;
    }

    /** Returns the iteration count and salt length only: the keys stay out of logs. */
    @Override
    public String toString() {
        return "ScramKeys[iterations=" + iterations + ", salt=" + salt.length + " bytes]";
    }
}
