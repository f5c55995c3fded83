package dev.jpb.internal.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.LoginFailedException;
import dev.jpb.ProtocolException;
import dev.jpb.ServerAuthenticationException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SCRAM-SHA-256 exchange: the server state machine against scram-client's client side. */
@Timeout(30)
class ScramExchangeTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final FakeVerifiers FAKES = FakeVerifiers.withRandomSecret(4096);

    private static ScramKeys keys(String password, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return ScramKeys.derive(password.toCharArray(), salt, iterations);
    }

    private static final Map<String, ScramKeys> USERS = Map.of(
            "alice", keys(PASSWORD, 4096),
            "a,b=c", keys("other password", 4096));

    private static ScramServerExchange server() {
        return new ScramServerExchange(name -> Optional.ofNullable(USERS.get(name)), FAKES,
                RANDOM);
    }

    /** Runs a whole exchange; returns the four messages. Throws what the server throws. */
    private static List<String> exchange(ScramServerExchange server, String user,
            String password) {
        ScramClientExchange client = new ScramClientExchange(user, password.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        List<String> messages = new ArrayList<>();
        messages.add(client.clientFirst());
        messages.add(server.serverFirst(messages.get(0)));
        messages.add(client.clientFinal(messages.get(1)));
        messages.add(server.serverFinal(messages.get(2)));
        client.verifyServerFinal(messages.get(3));
        assertThat(client.serverVerified()).isTrue();
        return messages;
    }

    @Test
    void rightPasswordCompletesTheExchangeAndTheClientVerifiesTheServer() {
        ScramServerExchange server = server();

        List<String> messages = exchange(server, "alice", PASSWORD);

        assertThat(server.succeeded()).isTrue();
        assertThat(server.username()).isEqualTo("alice");
        assertThat(server.failureReason()).isNull();
        assertThat(messages.get(0)).startsWith("n,,n=alice,r=");
        assertThat(messages.get(1)).matches("r=[^,]+,s=[A-Za-z0-9+/=]+,i=4096");
        assertThat(messages.get(2)).startsWith("c=biws,r=").contains(",p=");
        assertThat(messages.get(3)).startsWith("v=");
    }

    @Test
    void userNamesWithCommaAndEqualsSurviveTheirEscaping() {
        ScramServerExchange server = server();

        List<String> messages = exchange(server, "a,b=c", "other password");

        assertThat(messages.get(0)).contains("n=a=2Cb=3Dc,");
        assertThat(server.username()).isEqualTo("a,b=c");
        assertThat(server.succeeded()).isTrue();
    }

    @Test
    void serverSideMatchesTheRfc7677TestVector() {
        // RFC 7677 section 3: user "user", password "pencil".
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramKeys pencil = ScramKeys.derive("pencil".toCharArray(), salt, 4096);
        ScramServerExchange server = new ScramServerExchange(
                name -> name.equals("user") ? Optional.of(pencil) : Optional.empty(), FAKES,
                () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");

        assertThat(server.serverFirst("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(server.serverFinal("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))
                .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void wrongPasswordFailsWithTheOneLoginMessage() {
        ScramServerExchange server = server();

        assertThatThrownBy(() -> exchange(server, "alice", "wrong"))
                .isExactlyInstanceOf(LoginFailedException.class)
                .hasMessage(LoginFailedException.MESSAGE);
        assertThat(server.succeeded()).isFalse();
        assertThat(server.failureReason()).isEqualTo("wrong password for user 'alice'");
    }

    @Test
    void unknownUserFailsExactlyLikeAWrongPasswordAfterTheSameExchange() {
        ScramServerExchange unknown = server();
        ScramServerExchange wrong = server();
        Throwable unknownFailure = catchFailure(() -> exchange(unknown, "mallory", PASSWORD));
        Throwable wrongFailure = catchFailure(() -> exchange(wrong, "alice", "wrong"));

        assertThat(unknownFailure).isExactlyInstanceOf(wrongFailure.getClass());
        assertThat(unknownFailure.getMessage()).isEqualTo(wrongFailure.getMessage());
        assertThat(unknown.failureReason()).isEqualTo("unknown user 'mallory'");
    }

    // How long the two failures take is measured by JMH, not here: W9Login's
    // loginUnknownUserTls against loginWrongPasswordTls (run.sh, the "W9 unknown user" row).

    @Test
    void anUnknownUserSeesAStableSaltAndTheRealIterationCount() {
        String first = serverFirstFor("mallory");
        String again = serverFirstFor("mallory");
        String other = serverFirstFor("trudy");
        String real = serverFirstFor("alice");

        assertThat(field(first, "s")).isEqualTo(field(again, "s"))
                .isNotEqualTo(field(other, "s"));
        assertThat(Base64.getDecoder().decode(field(first, "s")))
                .hasSameSizeAs(Base64.getDecoder().decode(field(real, "s")));
        assertThat(field(first, "i")).isEqualTo(field(real, "i"));
        // Another server with the same secret shows the same salt; another secret does not.
        byte[] secret = new byte[32];
        FakeVerifiers a = new FakeVerifiers(secret, 4096);
        FakeVerifiers b = new FakeVerifiers(secret, 4096);
        secret[0] = 1;
        FakeVerifiers c = new FakeVerifiers(secret, 4096);
        assertThat(a.forUser("mallory")).isEqualTo(b.forUser("mallory"))
                .isNotEqualTo(c.forUser("mallory"));
    }

    @Test
    void theExchangeNeverCarriesThePasswordItsUtf8BytesOrItsSha256() throws Exception {
        String password = "pässwörd-ünïcode-42";
        Map<String, ScramKeys> users = Map.of("bob", keys(password, 4096));
        ScramServerExchange server = new ScramServerExchange(
                name -> Optional.ofNullable(users.get(name)), FAKES, RANDOM);
        List<String> messages = exchange(server, "bob", password);
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String message : messages) {
            wire.write(message.getBytes(StandardCharsets.UTF_8));
        }
        byte[] stream = wire.toByteArray();
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(utf8);

        for (byte[] secret : List.of(utf8, password.getBytes(StandardCharsets.UTF_16BE),
                sha256, HexFormat.of().formatHex(sha256).getBytes(StandardCharsets.US_ASCII),
                Base64.getEncoder().encode(sha256), Base64.getEncoder().encode(utf8))) {
            assertThat(indexOf(stream, secret)).as("found secret bytes").isEqualTo(-1);
        }
        assertThat(server.succeeded()).isTrue(); // the search ran over a real exchange
        assertThat(indexOf(stream, "n=bob,".getBytes(StandardCharsets.UTF_8)))
                .isNotNegative(); // and the search finds what is there
    }

    @Test
    void theVerifierHoldsNeitherThePasswordNorItsHash() throws Exception {
        ScramKeys verifier = keys(PASSWORD, 4096);
        byte[] utf8 = PASSWORD.getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(utf8);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(verifier.salt());
        all.write(verifier.storedKey());
        all.write(verifier.serverKey());
        all.write(verifier.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(indexOf(all.toByteArray(), utf8)).isEqualTo(-1);
        assertThat(indexOf(all.toByteArray(), sha256)).isEqualTo(-1);
        assertThat(verifier.toString()).doesNotContain(
                Base64.getEncoder().encodeToString(verifier.storedKey()));
    }

    @Test
    void aTamperedServerSignatureIsDetectedByTheClient() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange("alice", PASSWORD.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        String serverFirst = server.serverFirst(client.clientFirst());
        String serverFinal = server.serverFinal(client.clientFinal(serverFirst));
        byte[] signature = Base64.getDecoder().decode(serverFinal.substring(2));
        signature[0] ^= 1;

        assertThatThrownBy(() -> client.verifyServerFinal(
                "v=" + Base64.getEncoder().encodeToString(signature)))
                .isInstanceOf(ServerAuthenticationException.class)
                .hasMessageContaining("signature is wrong");
        assertThat(client.serverVerified()).isFalse();
    }

    @Test
    void aServerErrorInsteadOfASignatureIsALoginFailure() {
        ScramServerExchange server = server();
        ScramClientExchange client = new ScramClientExchange("alice", PASSWORD.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        client.clientFinal(server.serverFirst(client.clientFirst()));

        assertThatThrownBy(() -> client.verifyServerFinal("e=invalid-proof"))
                .isExactlyInstanceOf(LoginFailedException.class);
    }

    @Test
    void iterationCountIsConfigurableAndNeverBelow4096() {
        ScramKeys strong = keys(PASSWORD, 10_000);
        ScramServerExchange server = new ScramServerExchange(
                name -> Optional.of(strong), FAKES, RANDOM);
        List<String> messages = exchange(server, "carol", PASSWORD);
        assertThat(field(messages.get(1), "i")).isEqualTo("10000");

        assertThatThrownBy(() -> keys(PASSWORD, 4095))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iterations: 4095 (expected: >= 4096)");
        assertThatThrownBy(() -> new ScramKeys(new byte[16], 1000, new byte[32], new byte[32]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FakeVerifiers(new byte[32], 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theClientRefusesIterationCountsOutOfBoundsBeforeHashing() {
        ScramServerExchange server = server();
        ScramClientExchange weak = new ScramClientExchange("alice", PASSWORD.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        String serverFirst = server.serverFirst(weak.clientFirst());

        assertThatThrownBy(() -> weak.clientFinal(serverFirst.replace("i=4096", "i=1000")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("fewer than the minimum 4096");

        ScramClientExchange capped = new ScramClientExchange("alice", PASSWORD.toCharArray(),
                5000);
        String first = server().serverFirst(capped.clientFirst());
        assertThatThrownBy(() -> capped.clientFinal(first.replace("i=4096", "i=2000000000")))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("maxIterations (5000)");
    }

    @Test
    void malformedAndOutOfOrderMessagesAreProtocolErrors() {
        assertThatThrownBy(() -> server().serverFirst("hello"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> server().serverFirst("p=tls-unique,,n=alice,r=abcdefgh"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("channel binding");
        assertThatThrownBy(() -> server().serverFirst("n,a=admin,n=alice,r=abcdefgh"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("authorization");
        assertThatThrownBy(() -> server().serverFirst("n,,n=alice,r=" + "x".repeat(5000)))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("MAX_MESSAGE_CHARS");
        assertThatThrownBy(() -> server().serverFinal("c=biws,r=x,p=AAAA"))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("out of order");

        ScramServerExchange server = server();
        String serverFirst = server.serverFirst("n,,n=alice,r=abcdefgh");
        String nonce = field(serverFirst, "r");
        String proof = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> server.serverFinal("c=eSws,r=" + nonce + ",p=" + proof))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("gs2 header");
        ScramServerExchange again = server();
        String nonce2 = field(again.serverFirst("n,,n=alice,r=abcdefgh"), "r");
        assertThatThrownBy(() -> again.serverFinal("c=biws,r=" + nonce2 + "X,p=" + proof))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> again.serverFinal("c=biws,r=" + nonce2 + ",p=" + proof))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("out of order");
    }

    @Test
    void aReplayedClientFinalDoesNotLogIntoANewExchange() {
        ScramServerExchange first = server();
        ScramClientExchange client = new ScramClientExchange("alice", PASSWORD.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        String clientFirst = client.clientFirst();
        String clientFinal = client.clientFinal(first.serverFirst(clientFirst));
        first.serverFinal(clientFinal);

        ScramServerExchange replayed = server();
        replayed.serverFirst(clientFirst);
        assertThatThrownBy(() -> replayed.serverFinal(clientFinal))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("nonce");
        assertThat(replayed.succeeded()).isFalse();
    }

    @Test
    void theClientLeavesTheCallersPasswordArrayAlone() {
        char[] password = PASSWORD.toCharArray();
        ScramClientExchange client = new ScramClientExchange("alice", password,
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        ScramServerExchange server = server();
        server.serverFinal(client.clientFinal(server.serverFirst(client.clientFirst())));

        assertThat(password).isEqualTo(PASSWORD.toCharArray());
    }

    private static String serverFirstFor(String user) {
        ScramClientExchange client = new ScramClientExchange(user, "x".toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        return server().serverFirst(client.clientFirst());
    }

    private static String field(String message, String name) {
        Matcher m = Pattern.compile("(?:^|,)" + name + "=([^,]*)").matcher(message);
        assertThat(m.find()).as(name + " in " + message).isTrue();
        return m.group(1);
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
