package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.exception.ScramInvalidServerSignatureException;
import com.ongres.scram.common.exception.ScramParseException;
import com.ongres.scram.common.exception.ScramServerErrorException;
import dev.jpb.LoginFailedException;
import dev.jpb.ProtocolException;
import dev.jpb.ServerAuthenticationException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The client's side of one SCRAM-SHA-256 exchange, over scram-client's {@link ScramClient}:
 * {@link #clientFirst()}, then {@link #clientFinal(String)} with the server-first message,
 * then {@link #verifyServerFinal(String)} with the server-final message. Only the proof,
 * which the password cannot be recovered from, is sent.
 *
 * <p>The password (copied) is used once: when the server-first message names the salt, the
 * salted password is derived with scram-common's {@link ScramFunctions}, the copy is zeroed,
 * and the exchange goes on with ClientKey and ServerKey, which {@link #keys()} then returns so
 * a later login (after a reconnect) can run without the password. An exchange made from such
 * {@link ClientKeys} fails with {@link LoginFailedException} if the server's salt or iteration
 * count changed (the password was reset): log in with the password again.
 *
 * <p>Before spending PBKDF2 work, the server's iteration count is bounded both ways: fewer
 * than {@link ScramKeys#MIN_ITERATIONS} would weaken the proof, more than the configured
 * maximum would let a server stall the client. One instance per login attempt; not
 * thread-safe.
 */
public final class ScramClientExchange {
    /** The default highest iteration count a client accepts from a server. */
    public static final int DEFAULT_MAX_ITERATIONS = 1_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_LENGTH = 24;

    private final String username;
    private final int maxIterations;
    private final String nonce = ScramFunctions.nonce(NONCE_LENGTH, RANDOM);
    private char[] password; // a copy, zeroed once used; null when made from keys
    private ClientKeys keys; // given, or derived by clientFinal
    private ScramClient client;
    private boolean firstSent;
    private boolean finalSent;
    private boolean verified;

    /**
     * Prepares an exchange; nothing is computed yet.
     *
     * @param password copied; the caller's array is not changed, clear it when done
     * @param maxIterations the highest iteration count accepted from the server
     */
    public ScramClientExchange(String username, char[] password, int maxIterations) {
        this(username, maxIterations);
        requireNonNull(password, "password");
        checkArgument(password.length > 0, "password: empty (expected: at least one character)");
        this.password = password.clone();
    }

    /**
     * Prepares an exchange from the keys of an earlier login of the same user.
     *
     * @param keys what {@link #keys()} returned after that login; not destroyed here
     * @param maxIterations the highest iteration count accepted from the server
     */
    public ScramClientExchange(String username, ClientKeys keys, int maxIterations) {
        this(username, maxIterations);
        this.keys = requireNonNull(keys, "keys");
    }

    private ScramClientExchange(String username, int maxIterations) {
        requireNonNull(username, "username");
        checkArgument(!username.isEmpty(), "username: empty (expected: a user name)");
        checkArgument(maxIterations >= ScramKeys.MIN_ITERATIONS, "maxIterations: "
                + maxIterations + " (expected: >= " + ScramKeys.MIN_ITERATIONS + ")");
        this.username = username;
        this.maxIterations = maxIterations;
    }

    private ScramClient client(byte[] clientKey, byte[] serverKey) {
        return ScramClient.builder()
                .advertisedMechanisms(List.of(ScramKeys.MECHANISM.getName()))
                .username(username)
                .clientAndServerKey(clientKey, serverKey)
                .nonceSupplier(() -> nonce)
                .build();
    }

    /** Returns the client-first message, e.g. {@code n,,n=alice,r=<nonce>}. */
    public String clientFirst() {
        checkState(!firstSent, "client-first was already produced");
        firstSent = true;
        // Keys are not needed for client-first; the real ones are known after server-first.
        client = client(new byte[ScramKeys.KEY_LENGTH], new byte[ScramKeys.KEY_LENGTH]);
        return client.clientFirstMessage().toString();
    }

    /**
     * Reads the server-first message and returns the client-final message carrying the proof.
     * This is where the PBKDF2 work is done (unless the exchange was made from keys).
     *
     * @throws ProtocolException if the message is malformed, does not continue our nonce, or
     *     asks for an iteration count out of bounds
     * @throws LoginFailedException if made from keys and the server's salt or iteration
     *     count is not the one they were derived for
     */
    public String clientFinal(String serverFirst) {
        requireNonNull(serverFirst, "serverFirst");
        checkState(firstSent && !finalSent, "clientFinal out of order");
        finalSent = true;
        ServerFirstMessage parsed;
        try {
            parsed = client.serverFirstMessage(serverFirst);
        } catch (ScramParseException | IllegalArgumentException e) {
            throw new ProtocolException("malformed SCRAM server-first message: "
                    + e.getMessage(), e);
        }
        int iterations = parsed.getIterationCount();
        if (iterations < ScramKeys.MIN_ITERATIONS) {
            throw new ProtocolException("the server asked for " + iterations + " SCRAM"
                    + " iterations, fewer than the minimum " + ScramKeys.MIN_ITERATIONS
                    + "; refusing to send a weak proof");
        }
        if (iterations > maxIterations) {
            throw new ProtocolException("the server asked for " + iterations + " SCRAM"
                    + " iterations, more than this client's maxIterations (" + maxIterations
                    + "); raise it if the server is trusted");
        }
        if (parsed.getServerNonce().isEmpty()) {
            throw new ProtocolException("malformed SCRAM server-first message: the server"
                    + " added nothing to the nonce");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(parsed.getSalt());
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("malformed SCRAM server-first message: the salt is not"
                    + " base64");
        }
        if (password != null) {
            keys = derive(salt, iterations);
        } else if (!keys.matches(salt, iterations)) {
            throw new LoginFailedException("the server's SCRAM salt or iteration count for user '"
                    + username + "' changed since the last login (was the password reset?);"
                    + " log in with the password again");
        }
        ScramClient real = client(keys.clientKey(), keys.serverKey());
        real.clientFirstMessage(); // the same text as sent: same user name, same nonce
        try {
            real.serverFirstMessage(serverFirst);
        } catch (ScramParseException e) {
            throw new ProtocolException("malformed SCRAM server-first message: "
                    + e.getMessage(), e);
        }
        client = real;
        return client.clientFinalMessage().toString();
    }

    private ClientKeys derive(byte[] salt, int iterations) {
        byte[] salted = ScramFunctions.saltedPassword(ScramKeys.MECHANISM,
                StringPreparation.SASL_PREPARATION, password, salt, iterations);
        Arrays.fill(password, '\0');
        password = null;
        byte[] clientKey = ScramFunctions.clientKey(ScramKeys.MECHANISM, salted);
        byte[] serverKey = ScramFunctions.serverKey(ScramKeys.MECHANISM, salted);
        try {
            return new ClientKeys(salt, iterations, clientKey, serverKey);
        } finally {
            Arrays.fill(salted, (byte) 0);
            Arrays.fill(clientKey, (byte) 0);
            Arrays.fill(serverKey, (byte) 0);
        }
    }

    /**
     * Returns the keys this exchange proved with, for a later login of the same user without
     * the password; null before {@link #clientFinal}.
     */
    public ClientKeys keys() {
        return finalSent ? keys : null;
    }

    /**
     * Checks the server-final message: the server's signature proves it holds this user's
     * verifier.
     *
     * @throws ServerAuthenticationException if the signature does not match
     * @throws LoginFailedException if the server sent a SCRAM error ({@code e=...}) instead
     * @throws ProtocolException if the message is malformed
     */
    public void verifyServerFinal(String serverFinal) {
        requireNonNull(serverFinal, "serverFinal");
        checkState(finalSent && !verified, "verifyServerFinal out of order");
        try {
            client.serverFinalMessage(serverFinal);
            verified = true;
        } catch (ScramInvalidServerSignatureException e) {
            throw new ServerAuthenticationException("the server's SCRAM signature is wrong: it"
                    + " does not hold this user's verifier, so it is not the server the account"
                    + " belongs to; check the address and pin the server's TLS fingerprint", e);
        } catch (ScramServerErrorException e) {
            throw new LoginFailedException();
        } catch (ScramParseException | IllegalArgumentException e) {
            throw new ProtocolException("malformed SCRAM server-final message: "
                    + e.getMessage(), e);
        }
    }

    /** Returns whether the server's final signature was verified. */
    public boolean serverVerified() {
        return verified;
    }
}
