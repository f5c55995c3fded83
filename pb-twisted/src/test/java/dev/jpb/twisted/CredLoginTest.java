package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PB cred login against a real portal.Portal with InMemoryUsernamePasswordDatabaseDontUse. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CredLoginTest {
    private PythonPeer python;
    private int port;

    /** The mind the server's avatar calls back. */
    public static final class Mind extends Referenceable {
        public String remote_told(String value) {
            return "mind heard " + value;
        }
    }

    @BeforeEach
    void start() throws Exception {
        python = PythonPeer.start("pb_server.py", "--cred");
        port = python.port();
    }

    @AfterEach
    void stop() {
        python.close();
    }

    @Test
    void loginWithTheRightPasswordYieldsAPerspectiveThatCallsTheMind() {
        try (TwistedPbClient client = TwistedPbClient.builder().allowMd5Login()
                .connect("127.0.0.1", port)) {
            RemoteReference perspective = client.login("alice", "secret".toCharArray(),
                    new Mind()).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(perspective.<String>callRemote("whoami").join()).isEqualTo("alice");
            assertThat(perspective.<String>callRemote("callMind", "hi").join())
                    .isEqualTo("mind heard hi");
        }
    }

    @Test
    void aWrongPasswordIsUnauthorizedLogin() {
        try (TwistedPbClient client = TwistedPbClient.builder().allowMd5Login()
                .connect("127.0.0.1", port)) {
            assertThatThrownBy(() -> client.login("alice", "wrong".toCharArray(), null)
                    .orTimeout(10, TimeUnit.SECONDS).join())
                    .cause().isInstanceOfSatisfying(RemoteCallException.class, e ->
                            assertThat(e.remoteType())
                                    .isEqualTo("twisted.cred.error.UnauthorizedLogin"));
            assertThat(client.connection().isOpen()).isTrue();
        }
    }

    @Test
    void md5LoginIsOffUnlessEnabled() {
        try (TwistedPbClient client = TwistedPbClient.connect("127.0.0.1", port)) {
            assertThatThrownBy(() -> client.login("alice", "secret".toCharArray(), null))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("allowMd5Login");
        }
    }
}
