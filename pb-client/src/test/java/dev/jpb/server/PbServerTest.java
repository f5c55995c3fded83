package dev.jpb.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Root;
import dev.jpb.client.PbClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class PbServerTest {
    @Test
    void connectionCountFollowsClientsComingAndGoing() {
        try (PbServer server = PbServer.builder().root(new Root()).build().start()) {
            assertThat(server.connectionCount()).isZero();
            PbClient first = PbClient.connect("127.0.0.1", server.port());
            PbClient second = PbClient.connect("127.0.0.1", server.port());
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 2);
            assertThat(server.connections()).hasSize(2);

            first.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 1);

            second.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
        }
    }
}
