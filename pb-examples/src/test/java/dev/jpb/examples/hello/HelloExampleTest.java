package dev.jpb.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.RemoteReference;
import dev.jpb.testing.PbServerExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(30)
class HelloExampleTest {
    // One server for the class; each test's clients are closed after it.
    @RegisterExtension
    static final PbServerExtension server = PbServerExtension.of(HelloServer::configure);

    @Test
    void clientAddsAndEchoesThroughTheRoot() throws Exception {
        assertThat(HelloClient.run(server.port())).isEqualTo("add(2, 3) = 5, echo(\"hi\") = hi");
    }

    @Test
    void typedProxiesMakeTheSameCalls() throws Exception {
        assertThat(HelloClient.runTyped(server.port()))
                .isEqualTo("add(2, 3) = 5, echo(\"hi\") = hi, add(4, 5) = 9");
    }

    @Test
    void theRootAddsForAClientOfTheKit() throws Exception {
        RemoteReference root = server.newRoot();

        assertThat(root.<Integer>callRemote("add", 2, 3).get(5, TimeUnit.SECONDS)).isEqualTo(5);
        assertThat(root.<String>callRemote("echo", "hi").get(5, TimeUnit.SECONDS))
                .isEqualTo("hi");
    }
}
