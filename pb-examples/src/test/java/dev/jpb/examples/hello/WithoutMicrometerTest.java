package dev.jpb.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Micrometer is an optional dependency of jpb, and this module does not have it: the hello
 * example runs anyway, on builders whose {@code meterRegistry(MeterRegistry)} is never called.
 */
@Timeout(30)
class WithoutMicrometerTest {
    @Test
    void micrometerIsNotOnThisClassPath() {
        assertThatThrownBy(() -> Class.forName("io.micrometer.core.instrument.MeterRegistry"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void aServerAndAClientRunWithoutMicrometer() throws Exception {
        PbServer.Builder builder = PbServer.builder().bind("127.0.0.1", 0);
        HelloServer.configure(builder);
        try (PbServer server = builder.build().start();
                PbClient client = PbClient.builder().connect("127.0.0.1", server.port())) {
            assertThat(HelloClient.run(server.port()))
                    .isEqualTo("add(2, 3) = 5, echo(\"hi\") = hi");
            assertThat(client.getRootObject().get().<Integer>callRemote("add", 1, 2).get())
                    .isEqualTo(3);
        }
    }
}
