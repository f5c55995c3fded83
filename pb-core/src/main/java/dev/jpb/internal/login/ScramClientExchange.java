package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import com.ongres.scram.client.ScramClient;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.exception.ScramInvalidServerSignatureException;
import com.ongres.scram.common.exception.ScramParseException;
import com.ongres.scram.common.exception.ScramServerErrorException;
import dev.jpb.LoginFailedException;
import dev.jpb.ProtocolException;
import dev.jpb.ServerAuthenticationException;
import java.util.List;

/**
 * The client's side of one SCRAM-SHA-256 exchange, over scram-client's {@link ScramClient}:
 * {@link #clientFirst()}, then {@link #clientFinal(String)} with the server-first message,
 * then {@link #verifyServerFinal(String)} with the server-final message. The password is given
 * to scram-client, which keeps its own copy until it computes the proof and then zeroes that
 * copy; only the proof, which the password cannot be recovered from, is sent.
 *
 * <p>Before spending PBKDF2 work, the server's iteration count is bounded both ways: fewer
 * than {@link ScramKeys#MIN_ITERATIONS} would weaken the proof, more than the configured
 * maximum would let a server stall the client. One instance per login attempt; not
 * thread-safe.
 */
public final class ScramClientExchange {
    /** The default highest iteration count a client accepts from a server. */
    public static final int DEFAULT_MAX_ITERATIONS = 1_000_000;

    private final ScramClient client;
    private final int maxIterations;
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
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        checkArgument(!username.isEmpty(), "username: empty (expected: a user name)");
        checkArgument(password.length > 0, "password: empty (expected: at least one character)");
        checkArgument(maxIterations >= ScramKeys.MIN_ITERATIONS, "maxIterations: "
                + maxIterations + " (expected: >= " + ScramKeys.MIN_ITERATIONS + ")");
        this.maxIterations = maxIterations;
        this.client = ScramClient.builder()
                .advertisedMechanisms(List.of(ScramKeys.MECHANISM.getName()))
                .username(username)
                .password(password)
                .build();
    }

    /** Returns the client-first message, e.g. {@code n,,n=alice,r=<nonce>}. */
    public String clientFirst() {
        checkState(!firstSent, "client-first was already produced");
        firstSent = true;
        return client.clientFirstMessage().toString();
    }

    /**
     * Reads the server-first message and returns the client-final message carrying the proof.
     * This is where the PBKDF2 work is done.
     *
     * @throws ProtocolException if the message is malformed, does not continue our nonce, or
     *     asks for an iteration count out of bounds
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
        return client.clientFinalMessage().toString();
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
