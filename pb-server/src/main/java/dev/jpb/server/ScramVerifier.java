package dev.jpb.server;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.internal.login.FakeVerifiers;
import dev.jpb.internal.login.ScramKeys;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A user's salted SCRAM-SHA-256 verifier (RFC 5802, RFC 7677): salt, iteration count,
 * StoredKey and ServerKey. It lets the server check a login and prove itself to the client, but
 * holds neither the password nor anything a client could log in with; recovering the password
 * from it means guessing, at {@link #iterations()} PBKDF2 rounds per guess. Still keep it
 * private: it is what an offline guessing attack starts from.
 *
 * <p>Immutable and thread-safe; accessors return copies.
 */
public final class ScramVerifier {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PREFIX = "SCRAM-SHA-256$";

    private final ScramKeys keys;

    private ScramVerifier(ScramKeys keys) {
        this.keys = keys;
    }

    /**
     * Derives a verifier from a password with a fresh random 16-byte salt. This costs
     * {@code iterations} PBKDF2 rounds (a few milliseconds at 4096).
     *
     * @param password read, not kept and not changed: clear it yourself when done
     * @param iterations at least 4096 (RFC 7677's minimum)
     * @return the new verifier
     * @throws IllegalArgumentException if the password is empty or {@code iterations < 4096}
     */
    public static ScramVerifier create(char[] password, int iterations) {
        requireNonNull(password, "password");
        byte[] salt = new byte[FakeVerifiers.SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return new ScramVerifier(ScramKeys.derive(password, salt, iterations));
    }

    /**
     * Wraps the parts of a stored verifier.
     *
     * @param salt the PBKDF2 salt, not empty
     * @param iterations the PBKDF2 iteration count, at least 4096
     * @param storedKey SCRAM's StoredKey, 32 bytes
     * @param serverKey SCRAM's ServerKey, 32 bytes
     * @return the verifier
     * @throws IllegalArgumentException if the salt is empty, a key is not 32 bytes, or
     *     {@code iterations < 4096}
     */
    public static ScramVerifier of(byte[] salt, int iterations, byte[] storedKey,
            byte[] serverKey) {
        return new ScramVerifier(new ScramKeys(salt, iterations, storedKey, serverKey));
    }

    /**
     * Parses the text {@link #encode()} returns.
     *
     * @param encoded {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}
     * @return the verifier
     * @throws IllegalArgumentException if it is not such a text
     */
    public static ScramVerifier parse(String encoded) {
        requireNonNull(encoded, "encoded");
        String expected = " (expected: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>,"
                + " base64)";
        checkArgument(encoded.startsWith(PREFIX), "encoded: not a SCRAM-SHA-256 verifier"
                + expected);
        String[] halves = encoded.substring(PREFIX.length()).split("\\$", -1);
        checkArgument(halves.length == 2, "encoded: wrong number of '$' fields" + expected);
        String[] first = halves[0].split(":", -1);
        String[] second = halves[1].split(":", -1);
        checkArgument(first.length == 2 && second.length == 2,
                "encoded: wrong number of ':' fields" + expected);
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return of(b64.decode(first[1]), Integer.parseInt(first[0]), b64.decode(second[0]),
                    b64.decode(second[1]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("encoded: bad iteration count" + expected, e);
        }
    }

    /**
     * Returns the verifier as one line of text, in the form PostgreSQL stores SCRAM-SHA-256
     * verifiers (RFC 5803 style):
     * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, each part base64.
     *
     * @return the encoded verifier, readable by {@link #parse}
     */
    public String encode() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + keys.iterations() + ":" + b64.encodeToString(keys.salt()) + "$"
                + b64.encodeToString(keys.storedKey()) + ":"
                + b64.encodeToString(keys.serverKey());
    }

    /** {@return a copy of the salt} */
    public byte[] salt() {
        return keys.salt();
    }

    /** {@return the PBKDF2 iteration count} */
    public int iterations() {
        return keys.iterations();
    }

    /** {@return a copy of StoredKey} */
    public byte[] storedKey() {
        return keys.storedKey();
    }

    /** {@return a copy of ServerKey} */
    public byte[] serverKey() {
        return keys.serverKey();
    }

    ScramKeys keys() {
        return keys;
    }

    /** Compares salt, iterations and both keys. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ScramVerifier v && keys.equals(v.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    /** Returns the iteration count only; the keys stay out of logs. */
    @Override
    public String toString() {
        return "ScramVerifier[SCRAM-SHA-256, iterations=" + keys.iterations() + "]";
    }
}
