package dev.jpb.examples.login;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.BadArgumentException;
import dev.jpb.LoginFailedException;
import dev.jpb.TlsIdentity;
import dev.jpb.server.PbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class LoginExampleTest {
    @TempDir
    Path dir;

    private static char[] password(String user) {
        return (user + GameServer.DEMO_PASSWORD).toCharArray();
    }

    @Test
    void playersAndTheRefereeShareABoardThatKnowsWhoMoved() throws Exception {
        TlsIdentity identity = GameServer.identity(dir);
        assertThat(Files.exists(dir.resolve("server-key.pem"))).isTrue();
        String pin = identity.fingerprint();
        try (PbServer server = GameServer.start(0, identity);
                GameClient alice = GameClient.login(server.port(), pin, "alice",
                        password("alice"));
                GameClient bob = GameClient.login(server.port(), pin, "bob", password("bob"))) {
            assertThat(alice.whoami()).isEqualTo("player alice");
            assertThat(bob.whoami()).isEqualTo("referee bob");

            assertThat(alice.move(4)).isEqualTo("alice took cell 4");
            assertThat(bob.nextNews(10)).isEqualTo("alice took cell 4");
            assertThat(alice.nextNews(10)).isEqualTo("alice took cell 4");
            assertThat(bob.cells().get(4)).isEqualTo("alice");

            // The referee's avatar is not a Player: the board refuses its move.
            assertThatThrownBy(() -> bob.move(0)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BadArgumentException.class);
            // A player's perspective has no reset.
            assertThatThrownBy(alice::reset).isInstanceOf(ExecutionException.class);

            bob.reset();
            assertThat(alice.nextNews(10)).isEqualTo("board reset by bob");
            assertThat(alice.cells()).containsOnly("");
        }
        // A restart loads the same identity, so the pin still holds.
        assertThat(GameServer.identity(dir).fingerprint()).isEqualTo(pin);
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        TlsIdentity identity = GameServer.identity(dir);
        try (PbServer server = GameServer.start(0, identity)) {
            assertThatThrownBy(() -> GameClient.login(server.port(), identity.fingerprint(),
                    "alice", "guess".toCharArray()))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(LoginFailedException.class);
        }
    }
}
