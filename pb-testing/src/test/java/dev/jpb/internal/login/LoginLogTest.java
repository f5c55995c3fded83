package dev.jpb.internal.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Failed and successful logins are logged without the password: every line jpb logs (at every
 * level, from every logger, messages, arguments and stack traces) during a successful login, a
 * wrong password, an unknown user and enough failures to close the connection, over plaintext
 * and TLS, is searched for the password, its UTF-8 bytes written out as text, and its SHA-256
 * in hex and base64.
 */
@Timeout(60)
class LoginLogTest {
    private static final String PASSWORD = "Tr0ub4dor&3-löwe";
    private static final String WRONG = "hunter2-über-wrong";

    /** A user's avatar. */
    public static final class User extends Avatar {
        /** Says who. */
        public String perspective_hello() {
            return "hello";
        }
    }

    private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    private final Logger jpb = (Logger) LoggerFactory.getLogger("dev.jpb");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private Level jpbLevel;

    @BeforeEach
    void capture() {
        jpbLevel = jpb.getLevel();
        jpb.setLevel(Level.TRACE); // the debug lines too
        lines.start();
        root.addAppender(lines);
    }

    @AfterEach
    void release() {
        root.detachAppender(lines);
        jpb.setLevel(jpbLevel);
    }

    @Test
    void noLogLineHoldsThePasswordOverPlaintext() throws Exception {
        logInEveryWay(null);
    }

    @Test
    void noLogLineHoldsThePasswordOverTls() throws Exception {
        logInEveryWay(TlsIdentity.selfSigned("localhost", "127.0.0.1"));
    }

    private void logInEveryWay(TlsIdentity identity) throws Exception {
        PbServer.Builder builder = PbServer.builder()
                .realm((String id, RemoteReference mind, Connection c) -> new User())
                .passwords(Passwords.create().add("alice", PASSWORD.toCharArray()))
                .maxFailedLogins(3)
                .bind("127.0.0.1", 0);
        if (identity != null) {
            builder.tls(identity);
        }
        try (PbServer server = builder.build().start()) {
            try (PbClient client = connect(server, identity)) {
                RemoteReference alice = client.login("alice", PASSWORD.toCharArray(), null)
                        .get(10, TimeUnit.SECONDS);
                assertThat(alice.<String>callRemote("hello").get(10, TimeUnit.SECONDS))
                        .isEqualTo("hello");
            }
            try (PbClient client = connect(server, identity)) {
                failsToLogIn(client, "alice", WRONG);
                failsToLogIn(client, "mallory", PASSWORD); // unknown user, a real password
                failsToLogIn(client, "alice", PASSWORD.toUpperCase()); // the third closes
            }
        }
        List<String> logged = loggedText();
        assertThat(logged).as("jpb logged the failures").anyMatch(l -> l.contains("mallory"));
        for (String secret : secretForms(PASSWORD)) {
            assertThat(logged).as("log lines holding " + secret).noneMatch(l -> l.contains(secret));
        }
        for (String secret : secretForms(WRONG)) {
            assertThat(logged).as("log lines holding " + secret).noneMatch(l -> l.contains(secret));
        }
    }

    private static PbClient connect(PbServer server, TlsIdentity identity) {
        PbClient.Builder client = PbClient.builder();
        if (identity != null) {
            client.pinServer(identity.fingerprint());
        }
        return client.connect("127.0.0.1", server.port());
    }

    private static void failsToLogIn(PbClient client, String user, String password) {
        assertThatThrownBy(() -> client.login(user, password.toCharArray(), null)
                .get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(LoginFailedException.class);
    }

    /** The password as a log line might show it, in every form the brief names. */
    private static List<String> secretForms(String password) throws Exception {
        byte[] utf8 = password.getBytes(StandardCharsets.UTF_8);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(utf8);
        return List.of(password, Arrays.toString(utf8), HexFormat.of().formatHex(utf8),
                HexFormat.of().withUpperCase().formatHex(utf8),
                new String(utf8, StandardCharsets.ISO_8859_1),
                Base64.getEncoder().encodeToString(utf8),
                HexFormat.of().formatHex(sha256), HexFormat.of().withUpperCase().formatHex(sha256),
                Base64.getEncoder().encodeToString(sha256),
                Base64.getUrlEncoder().withoutPadding().encodeToString(sha256),
                Arrays.toString(password.toCharArray()));
    }

    /** Every captured line: the formatted message, raw arguments, the MDC and any trace. */
    private List<String> loggedText() {
        List<String> out = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(lines.list)) {
            StringBuilder b = new StringBuilder(e.getFormattedMessage());
            if (e.getArgumentArray() != null) {
                for (Object a : e.getArgumentArray()) {
                    b.append(' ').append(a instanceof char[] c ? new String(c) : a);
                }
            }
            b.append(' ').append(e.getMDCPropertyMap());
            for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                b.append(' ').append(t.getClassName()).append(": ").append(t.getMessage());
                for (StackTraceElementProxy s : t.getStackTraceElementProxyArray()) {
                    b.append(' ').append(s);
                }
            }
            out.add(b.toString());
        }
        return out;
    }
}
