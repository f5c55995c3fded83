package dev.jpb.internal.login;

import static java.util.Objects.requireNonNull;

import com.ongres.scram.common.ClientFirstMessage;
import com.ongres.scram.common.Gs2CbindFlag;
import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ServerFinalMessage;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.exception.ScramParseException;
import dev.jpb.LoginFailedException;
import dev.jpb.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The server's side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), as a state machine:
 *
 * <pre>
 *   client-first  --serverFirst()-->  server-first
 *   client-final  --serverFinal()-->  server-final   (or LoginFailedException)
 * </pre>
 *
 * The cryptography is scram-common's ({@link ScramFunctions}: client-proof verification in
 * constant time, the server signature); this class only parses the two client messages and
 * keeps the transcript the signatures cover. scram-common has no parser for client-final, and
 * its client-first parser escapes the user name a second time, so the user name and the
 * transcript are taken from the received text itself.
 *
 * <p>An unknown user gets a {@linkplain FakeVerifiers fake verifier} and the same exchange, and
 * both an unknown user and a wrong proof end in {@link LoginFailedException} with its one
 * message; {@link #failureReason()} tells the server's log which it was. Malformed or
 * out-of-order messages, channel binding ({@code p=}) and authorization identities
 * ({@code a=}) fail with {@link ProtocolException}. Channel binding is not offered, so a
 * client's {@code y} flag is accepted (RFC 5802 §6).
 *
 * <p>One instance per login attempt. Not thread-safe: the login wiring drives it from one
 * connection's serial executor.
 */
public final class ScramServerExchange {
    /** The longest client message accepted, in characters. */
    public static final int MAX_MESSAGE_CHARS = 4096;
    /** The length of the server's part of the nonce. */
    static final int SERVER_NONCE_LENGTH = 24;

    private enum State { EXPECT_CLIENT_FIRST, EXPECT_CLIENT_FINAL, SUCCEEDED, FAILED }

    private final VerifierSource verifiers;
    private final FakeVerifiers fakes;
    private final Supplier<String> serverNonces;

    private State state = State.EXPECT_CLIENT_FIRST;
    private String username;
    private boolean knownUser;
    private ScramKeys keys;
    private String gs2Header;        // "n,," or "y,,", as received
    private String clientFirstBare;  // "n=<user>,r=<client nonce>", as received
    private String serverFirst;
    private String nonce;            // client nonce + server nonce
    private String failureReason;

    /**
     * Creates an exchange.
     *
     * @param verifiers where real users' verifiers come from
     * @param fakes the verifiers of users that do not exist
     * @param random for the server nonce
     */
    public ScramServerExchange(VerifierSource verifiers, FakeVerifiers fakes,
            SecureRandom random) {
        this(verifiers, fakes, randomNonces(requireNonNull(random, "random")));
    }

    // For the RFC 7677 test vector, whose server nonce is given.
    ScramServerExchange(VerifierSource verifiers, FakeVerifiers fakes,
            Supplier<String> serverNonces) {
        this.verifiers = requireNonNull(verifiers, "verifiers");
        this.fakes = requireNonNull(fakes, "fakes");
        this.serverNonces = requireNonNull(serverNonces, "serverNonces");
    }

    private static Supplier<String> randomNonces(SecureRandom random) {
        return () -> ScramFunctions.nonce(SERVER_NONCE_LENGTH, random);
    }

    /**
     * Reads the client-first message and returns the server-first message
     * ({@code r=<nonce>,s=<salt>,i=<iterations>}), for a known and an unknown user alike.
     *
     * @throws ProtocolException if the message is malformed, asks for channel binding or an
     *     authorization identity, or comes out of order
     */
    public String serverFirst(String clientFirst) {
        requireNonNull(clientFirst, "clientFirst");
        expect(State.EXPECT_CLIENT_FIRST, "client-first");
        state = State.FAILED; // until this step succeeds
        checkLength(clientFirst, "client-first");
        ClientFirstMessage parsed;
        try {
            parsed = ClientFirstMessage.parseFrom(clientFirst);
        } catch (ScramParseException | RuntimeException e) {
            throw malformed("client-first", e.getMessage());
        }
        if (parsed.getGs2Header().getChannelBindingFlag()
                == Gs2CbindFlag.CHANNEL_BINDING_REQUIRED) {
            throw new ProtocolException("the client asked for SCRAM channel binding"
                    + " (SCRAM-SHA-256-PLUS), which this server does not offer; use"
                    + " SCRAM-SHA-256");
        }
        if (parsed.getGs2Header().getAuthzid() != null) {
            throw new ProtocolException("the client sent a SCRAM authorization identity"
                    + " (a=...), which jpb does not support; log in as the user itself");
        }
        int headerEnd = clientFirst.indexOf(',', clientFirst.indexOf(',') + 1);
        gs2Header = clientFirst.substring(0, headerEnd + 1);
        clientFirstBare = clientFirst.substring(headerEnd + 1);
        int nonceStart = clientFirstBare.indexOf(",r=");
        if (!clientFirstBare.startsWith("n=") || nonceStart < 3) {
            throw malformed("client-first", "expected n=<user>,r=<nonce> after the gs2 header");
        }
        username = decodeSaslName(clientFirstBare.substring(2, nonceStart));
        String clientNonce = parsed.getClientNonce();

        Optional<ScramKeys> found = verifiers.find(username);
        // The fake is derived for known users too, so both paths do the same work.
        ScramKeys fake = fakes.forUser(username);
        knownUser = found.isPresent();
        keys = found.orElse(fake);
        String serverNonce = serverNonces.get();
        nonce = clientNonce + serverNonce;
        serverFirst = new ServerFirstMessage(clientNonce, serverNonce,
                Base64.getEncoder().encodeToString(keys.saltView()), keys.iterations())
                .toString();
        state = State.EXPECT_CLIENT_FINAL;
        return serverFirst;
    }

    /**
     * Reads the client-final message, checks the client's proof and returns the server-final
     * message ({@code v=<server signature>}), which the client uses to check that this server
     * holds its verifier.
     *
     * @throws LoginFailedException if the user is unknown or the proof is wrong (one message)
     * @throws ProtocolException if the message is malformed or out of order, or its channel
     *     binding or nonce do not continue this exchange
     */
    public String serverFinal(String clientFinal) {
        requireNonNull(clientFinal, "clientFinal");
        expect(State.EXPECT_CLIENT_FINAL, "client-final");
        state = State.FAILED;
        checkLength(clientFinal, "client-final");
        int proofStart = clientFinal.lastIndexOf(",p=");
        if (!clientFinal.startsWith("c=") || proofStart < 0) {
            throw malformed("client-final", "expected c=<binding>,r=<nonce>,...,p=<proof>");
        }
        String withoutProof = clientFinal.substring(0, proofStart);
        String[] fields = withoutProof.split(",", -1);
        if (fields.length < 2 || !fields[1].startsWith("r=")) {
            throw malformed("client-final", "the nonce must be its second attribute");
        }
        String expectedBinding = Base64.getEncoder()
                .encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8));
        if (!fields[0].substring(2).equals(expectedBinding)) {
            throw malformed("client-final", "its channel binding does not repeat the gs2 header"
                    + " of client-first");
        }
        if (!fields[1].substring(2).equals(nonce)) {
            throw malformed("client-final", "its nonce is not the one of this exchange");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(clientFinal.substring(proofStart + 3));
        } catch (IllegalArgumentException e) {
            throw malformed("client-final", "the proof is not base64");
        }
        if (proof.length != ScramKeys.KEY_LENGTH) {
            throw malformed("client-final", "the proof is " + proof.length + " bytes (expected "
                    + ScramKeys.KEY_LENGTH + ")");
        }
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        // Verified for unknown users too, against the fake keys, so both take the same time.
        boolean proofOk = ScramFunctions.verifyClientProof(ScramKeys.MECHANISM, proof,
                keys.storedKeyView(), authMessage);
        if (!proofOk || !knownUser) {
            failureReason = knownUser ? "wrong password for user '" + username + "'"
                    : "unknown user '" + username + "'";
            throw new LoginFailedException();
        }
        state = State.SUCCEEDED;
        return new ServerFinalMessage(ScramFunctions.serverSignature(ScramKeys.MECHANISM,
                keys.serverKeyView(), authMessage)).toString();
    }

    /** Returns whether the exchange ended with the client's proof accepted. */
    public boolean succeeded() {
        return state == State.SUCCEEDED;
    }

    /**
     * Returns the user name the client sent, once client-first was read (also for a failed
     * login, for the log); {@code null} before.
     */
    public String username() {
        return username;
    }

    /**
     * Returns why the login failed, for the server's log only ("unknown user 'x'", "wrong
     * password for user 'x'"); {@code null} unless it failed with {@link LoginFailedException}.
     */
    public String failureReason() {
        return failureReason;
    }

    private void expect(State expected, String message) {
        if (state != expected) {
            state = State.FAILED;
            throw new ProtocolException("SCRAM " + message + " message out of order (the"
                    + " exchange was " + (expected == State.EXPECT_CLIENT_FIRST
                            ? "past client-first" : "not expecting client-final") + ")");
        }
    }

    private static void checkLength(String message, String what) {
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new ProtocolException("SCRAM " + what + " message of " + message.length()
                    + " characters exceeds ScramServerExchange.MAX_MESSAGE_CHARS ("
                    + MAX_MESSAGE_CHARS + ")");
        }
    }

    private static ProtocolException malformed(String what, String detail) {
        return new ProtocolException("malformed SCRAM " + what + " message: " + detail);
    }

    /** Decodes RFC 5802's saslname: "=2C" is ',', "=3D" is '=', any other '=' is an error. */
    static String decodeSaslName(String value) {
        if (value.isEmpty()) {
            throw malformed("client-first", "empty user name");
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '=') {
                String escape = value.substring(i, Math.min(i + 3, value.length()));
                if (escape.equals("=2C")) {
                    out.append(',');
                } else if (escape.equals("=3D")) {
                    out.append('=');
                } else {
                    throw malformed("client-first", "bad escape in the user name");
                }
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
