package dev.jpb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.LoginFailedException;
import dev.jpb.internal.login.ScramClientExchange;
import dev.jpb.internal.login.ScramServerExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Passwords and user-supplied stores, driven through the real SCRAM exchange. */
@Timeout(30)
class PasswordsTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Logs in through the real exchange; returns the server-first message. */
    private static String login(CredentialStore store, String user, String password) {
        ScramServerExchange server = new ScramServerExchange(CredentialStores.source(store),
                CredentialStores.fakes(store), RANDOM);
        ScramClientExchange client = new ScramClientExchange(user, password.toCharArray(),
                ScramClientExchange.DEFAULT_MAX_ITERATIONS);
        String serverFirst = server.serverFirst(client.clientFirst());
        client.verifyServerFinal(server.serverFinal(client.clientFinal(serverFirst)));
        assertThat(server.succeeded()).isTrue();
        return serverFirst;
    }

    @Test
    void addedUsersLogInWithTheirOwnPasswordOnly() {
        Passwords passwords = Passwords.create()
                .add("alice", "alice-pw".toCharArray())
                .add("bob", "bob-pw".toCharArray());

        login(passwords, "alice", "alice-pw");
        login(passwords, "bob", "bob-pw");
        assertThatThrownBy(() -> login(passwords, "alice", "bob-pw"))
                .isExactlyInstanceOf(LoginFailedException.class)
                .hasMessage(LoginFailedException.MESSAGE);
    }

    @Test
    void unknownUserAndWrongPasswordFailWithTheSameExceptionAndMessage() {
        Passwords passwords = Passwords.create().add("alice", "alice-pw".toCharArray());

        Throwable unknown = catchFailure(() -> login(passwords, "nobody", "alice-pw"));
        Throwable wrong = catchFailure(() -> login(passwords, "alice", "guess"));

        assertThat(unknown).isExactlyInstanceOf(LoginFailedException.class);
        assertThat(wrong).isExactlyInstanceOf(LoginFailedException.class);
        assertThat(unknown.getMessage()).isEqualTo(wrong.getMessage());
    }

    @Test
    void replacingAndRemovingAUserTakesEffectForTheNextLogin() {
        Passwords passwords = Passwords.create().add("alice", "old".toCharArray());
        passwords.add("alice", "new".toCharArray());

        login(passwords, "alice", "new");
        assertThatThrownBy(() -> login(passwords, "alice", "old"))
                .isInstanceOf(LoginFailedException.class);
        passwords.remove("alice");
        assertThat(passwords.contains("alice")).isFalse();
        assertThatThrownBy(() -> login(passwords, "alice", "new"))
                .isInstanceOf(LoginFailedException.class);
    }

    @Test
    void iterationCountIsConfigurableAndEnforcedAtLeast4096() {
        Passwords passwords = Passwords.create().iterations(20_000)
                .add("carol", "carol-pw".toCharArray());

        assertThat(passwords.verifier("carol").orElseThrow().iterations()).isEqualTo(20_000);
        assertThat(login(passwords, "carol", "carol-pw")).endsWith(",i=20000");
        assertThat(Passwords.create().add("x", "y".toCharArray()).verifier("x").orElseThrow()
                .iterations())
                .isEqualTo(Passwords.DEFAULT_ITERATIONS).isEqualTo(4096);
        assertThatThrownBy(() -> Passwords.create().iterations(4095))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("iterations: 4095 (expected: >= 4096");
        assertThatThrownBy(() -> ScramVerifier.create("x".toCharArray(), 100))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStoreKeepsNeitherThePasswordNorItsPlainHash() throws Exception {
        String password = "hunter2-but-longer";
        Passwords passwords = Passwords.create().add("dave", password.toCharArray());
        ScramVerifier verifier = passwords.verifier("dave").orElseThrow();
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(utf8);
        String text = verifier.encode() + verifier + passwords;

        for (byte[] part : List.of(verifier.salt(), verifier.storedKey(), verifier.serverKey())) {
            assertThat(part).isNotEqualTo(sha256).isNotEqualTo(utf8);
        }
        assertThat(text).doesNotContain(password)
                .doesNotContain(HexFormat.of().formatHex(sha256))
                .doesNotContain(Base64.getEncoder().encodeToString(sha256));
        assertThat(verifier.toString()).doesNotContain(
                Base64.getEncoder().encodeToString(verifier.storedKey()));
    }

    @Test
    void addLeavesTheCallersArrayAsItWas() {
        char[] password = "keep-me".toCharArray();

        Passwords.create().add("erin", password);

        assertThat(new String(password)).isEqualTo("keep-me");
    }

    @Test
    void namesArePreparedWithSaslprepSoFullWidthAndAsciiAreOneUser() {
        Passwords passwords = Passwords.create()
                .add("\uff46\uff52\uff41\uff4e\uff4b", "frank-pw".toCharArray()); // ｆｒａｎｋ

        assertThat(passwords.contains("frank")).isTrue();
        login(passwords, "frank", "frank-pw");
        assertThatThrownBy(() -> passwords.add("bad\u0007name", "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
        assertThatThrownBy(() -> passwords.add("", "x".toCharArray()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> passwords.add("x", new char[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anApplicationsOwnStoreOfEncodedVerifiersWorksTheSameWay() {
        // The application's "database": one text column per user, never the password.
        Map<String, String> table = new ConcurrentHashMap<>();
        table.put("grace", ScramVerifier.create("grace-pw".toCharArray(), 8192).encode());
        CredentialStore store = new CredentialStore() {
            @Override
            public Optional<ScramVerifier> verifier(String username) {
                return Optional.ofNullable(table.get(username)).map(ScramVerifier::parse);
            }

            @Override
            public int iterationsForUnknownUsers() {
                return 8192;
            }
        };

        assertThat(table.get("grace")).startsWith("SCRAM-SHA-256$8192:");
        assertThat(login(store, "grace", "grace-pw")).endsWith(",i=8192");
        assertThatThrownBy(() -> login(store, "grace", "nope"))
                .isInstanceOf(LoginFailedException.class);
        assertThatThrownBy(() -> login(store, "heidi", "grace-pw"))
                .isInstanceOf(LoginFailedException.class);
    }

    @Test
    void encodedVerifiersRoundTripAndGarbageIsRefused() {
        ScramVerifier verifier = ScramVerifier.create("pw".toCharArray(), 4096);

        assertThat(ScramVerifier.parse(verifier.encode())).isEqualTo(verifier);
        for (String bad : List.of("", "md5$x", "SCRAM-SHA-256$4096:AAAA",
                "SCRAM-SHA-256$abc:AAAA$AAAA:AAAA", "SCRAM-SHA-256$4096:AAAA$AAAA:AAAA",
                "SCRAM-SHA-256$4096:!!$AAAA:AAAA")) {
            assertThatThrownBy(() -> ScramVerifier.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Throwable catchFailure(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected a failure");
    }
}
