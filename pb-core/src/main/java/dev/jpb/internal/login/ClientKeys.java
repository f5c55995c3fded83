package dev.jpb.internal.login;

import static java.util.Objects.requireNonNull;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * What a client keeps after a login so that it can log in again (after a reconnect) without
 * keeping the password: SCRAM's ClientKey and ServerKey, and the salt and iteration count
 * they were derived for. They log in only as this user, only to servers holding the verifier
 * made with that salt; the password cannot be read back from them. Keep them in memory only.
 * Immutable (arrays are copied in and out) until {@link #destroy()}, which zeroes them.
 */
public final class ClientKeys {
    private final byte[] salt;
    private final int iterations;
    private final byte[] clientKey;
    private final byte[] serverKey;

    ClientKeys(byte[] salt, int iterations, byte[] clientKey, byte[] serverKey) {
        this.salt = requireNonNull(salt, "salt").clone();
        this.iterations = iterations;
        this.clientKey = requireNonNull(clientKey, "clientKey").clone();
        this.serverKey = requireNonNull(serverKey, "serverKey").clone();
    }

    /** Returns whether these keys were derived for {@code salt} and {@code iterations}. */
    boolean matches(byte[] otherSalt, int otherIterations) {
        return iterations == otherIterations && MessageDigest.isEqual(salt, otherSalt);
    }

    byte[] clientKey() {
        return clientKey.clone();
    }

    byte[] serverKey() {
        return serverKey.clone();
    }

    /** Zeroes the keys; a later login with them fails. */
    public void destroy() {
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
    }

    /** Returns the iteration count only: the keys stay out of logs. */
    @Override
    public String toString() {
        return "ClientKeys[iterations=" + iterations + "]";
    }
}
