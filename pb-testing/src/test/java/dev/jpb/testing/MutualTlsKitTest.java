package dev.jpb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.Avatar;
import dev.jpb.ClientCertificateRefusedException;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.server.CertificateLogin;
import dev.jpb.server.Realm;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The kit's {@code mutualTls()}: clients present the kit's certificate and log in by it. */
@Timeout(60)
class MutualTlsKitTest {
    /** Says which avatar id the realm was given. */
    public static final class Badge extends Avatar {
        private final String id;

        Badge(String id) {
            this.id = id;
        }

        /** The avatar id. */
        public String perspective_id() {
            return id;
        }
    }

    private static final Realm BADGES = (String avatarId, RemoteReference mind,
            Connection connection) -> new Badge(avatarId);

    @RegisterExtension
    final PbServerExtension server = PbServerExtension.builder().mutualTls()
            .server(b -> b.realm(BADGES).certificateLogin(CertificateLogin.FINGERPRINT))
            .build();

    @Test
    void kitClientsPresentTheKitsCertificateAndLogInByIt() throws Exception {
        assertThat(server.tlsIdentity()).isNotNull();
        assertThat(server.clientIdentity()).isNotNull();

        RemoteReference badge = server.newCertificateLogin();

        assertThat(badge.<String>callRemote("id").get(10, TimeUnit.SECONDS))
                .isEqualTo(server.clientIdentity().fingerprint());
    }

    @Test
    void aClientPresentingAnotherCertificateIsRefused() {
        TlsIdentity stranger = TlsIdentity.selfSigned("stranger");
        assertThatThrownBy(() -> server.newClient(b -> b.clientIdentity(stranger)))
                .isInstanceOf(ClientCertificateRefusedException.class);
    }
}
