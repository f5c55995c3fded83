package dev.jpb.examples.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.TlsIdentity;
import dev.jpb.TlsPinMismatchException;
import dev.jpb.server.PbServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TlsExampleTest {
    @TempDir
    Path dir;

    @Test
    void theIdentityIsKeptAcrossRestartsSoThePinStillHolds() throws Exception {
        TlsIdentity first = TlsServer.identity(dir);
        assertThat(Files.exists(dir.resolve("server-key.pem"))).isTrue();
        String pin = first.fingerprint();
        try (PbServer server = TlsServer.start(0, first)) {
            assertThat(TlsClient.runPinned(server.port(), pin))
                    .isEqualTo("add(2, 3) = 5 from " + pin);
        }
        TlsIdentity again = TlsServer.identity(dir); // a restart loads, does not regenerate
        assertThat(again.fingerprint()).isEqualTo(pin);
        try (PbServer server = TlsServer.start(0, again)) {
            assertThat(TlsClient.runPinned(server.port(), pin)).endsWith(pin);
            assertThat(TlsClient.runTrusting(server.port(), dir.resolve("server.pem")))
                    .isEqualTo("add(2, 3) = 5 from " + pin);
        }
    }

    @Test
    void aRegeneratedIdentityNoLongerMatchesTheOldPin() throws Exception {
        String oldPin = TlsServer.identity(dir).fingerprint();
        Files.delete(dir.resolve("server.pem"));
        TlsIdentity regenerated = TlsServer.identity(dir);
        try (PbServer server = TlsServer.start(0, regenerated)) {
            assertThatThrownBy(() -> TlsClient.runPinned(server.port(), oldPin))
                    .isInstanceOf(TlsPinMismatchException.class)
                    .hasMessageContaining(oldPin)
                    .hasMessageContaining(regenerated.fingerprint());
        }
    }
}
