package dev.jpb.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LabOptionsTest {
    @Test
    void defaultsAreH2UnderLabDataOnPort8800WithoutHttp() {
        LabOptions o = LabOptions.parse(new String[0], Map.of());

        assertThat(o.port()).isEqualTo(LabOptions.DEFAULT_PORT);
        assertThat(o.httpPort()).isEqualTo(-1);
        assertThat(o.host()).isEqualTo("127.0.0.1");
        assertThat(o.database().url()).isEqualTo("jdbc:h2:file:"
                + Path.of("lab-data").toAbsolutePath().resolve("lab"));
        assertThat(o.seed()).isTrue();
        assertThat(o.demo()).isFalse();
    }

    @Test
    void jdbcTakesTheUserFromTheCommandLineAndThePasswordFromTheEnvironment() {
        LabOptions o = LabOptions.parse(new String[] {"--jdbc",
                "jdbc:postgresql://db/lab?ssl=true", "--db-user", "lab", "--http-port", "0",
                "--admin", "root", "--no-seed"}, Map.of(LabOptions.DB_PASSWORD_ENV, "s3cret"));

        assertThat(o.database().isPostgres()).isTrue();
        assertThat(o.database().user()).isEqualTo("lab");
        assertThat(o.database().password()).isEqualTo("s3cret");
        assertThat(o.database().toString()).isEqualTo("jdbc:postgresql://db/lab as lab")
                .doesNotContain("s3cret");
        assertThat(o.httpPort()).isZero();
        assertThat(o.admin()).isEqualTo("root");
        assertThat(o.seed()).isFalse();
    }

    @Test
    void badCommandLinesSayWhatIsWrongAndShowTheUsage() {
        assertThatThrownBy(() -> LabOptions.parse(new String[] {"--port", "99999"}, Map.of()))
                .hasMessageStartingWith("--port 99999: not a port (expected: 0 to 65535)")
                .hasMessageContaining("usage: LabServer");
        assertThatThrownBy(() -> LabOptions.parse(new String[] {"--data"}, Map.of()))
                .hasMessageStartingWith("--data needs a value");
        assertThatThrownBy(() -> LabOptions.parse(new String[] {"--frobnicate"}, Map.of()))
                .hasMessageStartingWith("unknown option --frobnicate");
        assertThatThrownBy(() -> LabOptions.parse(new String[] {"--jdbc", "postgres://x"},
                Map.of())).hasMessageContaining("expected: a JDBC URL");
        assertThatThrownBy(() -> LabOptions.parse(new String[] {"--db-user", "x"}, Map.of()))
                .hasMessageStartingWith("--db-user needs --jdbc");
    }
}
