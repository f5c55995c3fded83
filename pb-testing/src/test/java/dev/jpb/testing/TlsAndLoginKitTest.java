package dev.jpb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.client.PbClient;
import dev.jpb.server.Passwords;
import dev.jpb.server.Realm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@code tls()} and {@code newLogin}: a TLS server, pinned clients, a logged-in one. */
@Timeout(60)
class TlsAndLoginKitTest {
    /** One user's view. */
    public static final class Desk extends Avatar {
        private final String user;

        Desk(String user) {
            this.user = user;
        }

        /** Who logged in. */
        public String perspective_whoami() {
            return user;
        }
    }

    private static final Realm DESKS = (String avatarId, RemoteReference mind,
            Connection connection) -> new Desk(avatarId);

    @RegisterExtension
    final PbServerExtension server = PbServerExtension.builder().tls()
            .server(b -> b.realm(DESKS)
                    .passwords(Passwords.create().add("ada", "lovelace".toCharArray())))
            .build();

    @Test
    void clientsOfTheKitArePinnedToItsTlsServerAndLogIn() throws Exception {
        TlsIdentity identity = server.tlsIdentity();
        assertThat(identity).isNotNull();

        RemoteReference desk = server.newLogin("ada", "lovelace".toCharArray());

        assertThat(desk.<String>callRemote("whoami").get(10, TimeUnit.SECONDS)).isEqualTo("ada");
    }

    @Test
    void theServerReallySpeaksTlsOnlyAPlaintextOrWronglyPinnedClientFails() {
        // Plain TCP against the TLS port: a typed error, not a hang.
        assertThatThrownBy(() -> PbClient.builder().connect("127.0.0.1", server.port()).close())
                .isInstanceOf(PbException.class);
        // TLS, but pinned to another identity.
        String other = TlsIdentity.selfSigned("127.0.0.1").fingerprint();
        assertThatThrownBy(() -> server.newClient(b -> b.pinServer(other)))
                .isInstanceOf(PbException.class)
                .hasMessageContaining(server.tlsIdentity().fingerprint());
    }

    @Test
    void aWrongPasswordIsTheServersRefusalNotATimeout() {
        assertThatThrownBy(() -> server.newLogin("ada", "babbage".toCharArray()))
                .isInstanceOf(LoginFailedException.class);
    }

    @Test
    void tlsAndTheInProcessTransportExcludeEachOther() {
        assertThatThrownBy(() -> PbServerExtension.builder().tls().local().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in-process transport has no TLS");
    }
}
