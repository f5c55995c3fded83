package dev.jpb.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.LoginFailedException;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.examples.lab.data.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code LabServer --add-user}: a user added from the command line logs in with its role. */
@Timeout(60)
class LabAddUserTest {
    @TempDir
    Path dataDir;

    @Test
    void aViewerAddedFromAPasswordFileLogsInAndMayOnlyWatch() throws Exception {
        Path file = Files.writeString(dataDir.resolve("vera.password"), "vera-secret\n");
        String said = LabAddUser.parse(new String[] {"--add-user", "vera", "--role", "viewer",
                "--password-file", file.toString(), "--data", dataDir.toString()}, Map.of())
                .run(Map.of());
        assertThat(said).startsWith("viewer vera added to ");
        // the operator from the environment variable
        LabAddUser.parse(new String[] {"--data", dataDir.toString(), "--add-user", "olga",
                "--role", "OPERATOR"}, Map.of()).run(Map.of(LabAddUser.PASSWORD_ENV, "olga-pw"));

        try (LabServer lab = LabServer.start(LabOptions.parse(new String[] {"--port", "0",
                "--data", dataDir.toString()}, Map.of()));
                PbClient client = PbClient.builder()
                        .register(LabServer.WIRE_TYPES.toArray(new Class<?>[0]))
                        .pinServer(lab.fingerprint()).connect("127.0.0.1", lab.port())) {
            assertThat(lab.store().users().role("vera")).hasValue(Role.VIEWER);
            assertThat(lab.store().users().role("olga")).hasValue(Role.OPERATOR);
            assertThatThrownBy(() -> client.login("vera", "not-vera-secret".toCharArray(), null)
                    .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(LoginFailedException.class);
            RemoteReference vera = client.login("vera", "vera-secret".toCharArray(), null)
                    .get(10, TimeUnit.SECONDS);
            assertThat((List<?>) vera.callRemote("people").get(10, TimeUnit.SECONDS))
                    .hasSize(4);
            assertThatThrownBy(() -> vera.callRemote("deletePerson", 1L)
                    .get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(NotAnOperatorError.class);
        }
    }

    @Test
    void thePasswordIsNeverTakenFromTheCommandLineAndABadLineSaysWhy() throws Exception {
        String data = dataDir.toString();
        assertThatThrownBy(() -> LabAddUser.parse(new String[] {"--add-user", "eve", "--role",
                "viewer", "--password", "guess", "--data", data}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never given on the command line");
        assertThatThrownBy(() -> LabAddUser.parse(new String[] {"--add-user", "eve", "--data",
                data}, Map.of())).hasMessageContaining("needs --role viewer or --role operator");
        assertThatThrownBy(() -> LabAddUser.parse(new String[] {"--add-user", "eve", "--role",
                "admin"}, Map.of())).hasMessageContaining("not a role");
        LabAddUser eve = LabAddUser.parse(new String[] {"--add-user", "eve", "--role",
                "viewer", "--data", data}, Map.of());
        assertThatThrownBy(() -> eve.run(Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(LabAddUser.PASSWORD_ENV);
        eve.run(Map.of(LabAddUser.PASSWORD_ENV, "eve-pw"));
        assertThatThrownBy(() -> eve.run(Map.of(LabAddUser.PASSWORD_ENV, "other")))
                .isInstanceOfSatisfying(FieldError.class,
                        e -> assertThat(e.field()).isEqualTo("name"));
        assertThat(LabAddUser.requested(new String[] {"--port", "1", "--add-user", "x"}))
                .isTrue();
    }
}
