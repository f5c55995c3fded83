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

    /** The avatar a jpb server gives a Python client that logged in. */
    public static final class JavaAvatar extends Referenceable {
        private final String name;
        private final RemoteReference mind;

        JavaAvatar(String name, RemoteReference mind) {
            this.name = name;
            this.mind = mind;
        }

        public String remote_whoami() {
            return name;
        }

        public java.util.concurrent.CompletableFuture<String> remote_callMind(String value) {
            return mind.callRemote("told", value);
        }
    }

    @Test
    void aTwistedClientLogsInToAJpbServerWithMd5Login() throws Exception {
        try (TwistedPbServer server = TwistedPbServer.builder()
                .allowMd5Login(java.util.Map.of("alice", "secret".toCharArray()),
                        (user, mind, connection) -> new JavaAvatar(user, mind))
                .bind("127.0.0.1", 0).build().start();
                PythonPeer client = PythonPeer.start("pb_cred_client.py",
                        String.valueOf(server.port()))) {
            assertThat(client.expect("WHOAMI ", 20)).isEqualTo("alice");
            assertThat(client.expect("MIND ", 10)).isEqualTo("mind heard hi");
            // As from a Twisted portal: a CopyableFailure, RemoteError in inlineCallbacks.
            assertThat(client.expect("WRONG ", 10))
                    .isEqualTo("twisted.cred.error.UnauthorizedLogin");
            assertThat(client.expect("DONE", 10)).isEmpty();
            assertThat(client.waitFor(20)).isZero();
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
