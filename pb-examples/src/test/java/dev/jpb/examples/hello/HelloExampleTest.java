package dev.jpb.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.server.PbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HelloExampleTest {
    @Test
    void clientAddsAndEchoesThroughTheRoot() throws Exception {
        try (PbServer server = HelloServer.start(0)) {
            assertThat(HelloClient.run(server.port())).isEqualTo("add(2, 3) = 5, echo(\"hi\") = hi");
        }
    }

    @Test
    void typedProxiesMakeTheSameCalls() throws Exception {
        try (PbServer server = HelloServer.start(0)) {
            assertThat(HelloClient.runTyped(server.port()))
                    .isEqualTo("add(2, 3) = 5, echo(\"hi\") = hi, add(4, 5) = 9");
        }
    }
}
