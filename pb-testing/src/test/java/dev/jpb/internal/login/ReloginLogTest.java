package dev.jpb.internal.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.jpb.Avatar;
import dev.jpb.client.ConnectionState;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A login again after a reconnection that the server refuses is logged as one warning that
 * names the refusal in its text (no unfilled placeholder, no stack trace: it is the server's
 * answer, not a bug).
 */
@Timeout(60)
class ReloginLogTest {
    private static final char[] PASSWORD = "correct horse".toCharArray();

    /** A user's avatar. */
    public static final class User extends Avatar {
        /** Says hello. */
        public String perspective_hello() {
            return "hello";
        }
    }

    private final Logger client = (Logger) LoggerFactory.getLogger(PbClient.class);
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void capture() {
        lines.start();
        client.addAppender(lines);
    }

    @AfterEach
    void release() {
        client.detachAppender(lines);
    }

    private static PbServer serve(int port) {
        // Each server makes its own verifier, with a new salt: the saved keys no longer fit.
        return PbServer.builder().passwords(Passwords.create().add("alice", PASSWORD.clone()))
                .realm((avatarId, mind, connection) -> new User())
                .bind("127.0.0.1", port).build().start();
    }

    @Test
    void aRefusedReloginIsOneWarningThatSaysWhy() throws Exception {
        PbServer first = serve(0);
        int port = first.port();
        PbServer second = null;
        try (PbClient c = PbClient.builder()
                .reconnect(Duration.ofMillis(50), Duration.ofMillis(200))
                .connect("127.0.0.1", port)) {
            c.login("alice", PASSWORD.clone(), null).get(10, TimeUnit.SECONDS);
            first.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> c.state() != ConnectionState.CONNECTED);
            second = serve(port);
            await().atMost(Duration.ofSeconds(20)).until(() -> warnings().size() == 1);

            ILoggingEvent warning = warnings().get(0);
            assertThat(warning.getFormattedMessage())
                    .contains("logging in again as before the reconnection failed"
                            + " (dev.jpb.LoginFailedException: the server's SCRAM salt")
                    .contains("call login(...) again")
                    .doesNotContain("{}");
            assertThat(warning.getThrowableProxy()).as("no stack trace").isNull();
            assertThat(c.perspective()).isEmpty();
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    private List<ILoggingEvent> warnings() {
        return lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .filter(e -> e.getMessage().contains("logging in again")).toList();
    }
}
