package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.server.PbServer;
import java.lang.ref.Reference;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class IdleClientsTest {
    @Test
    void aChildJvmConnectsItsClientsAndDisconnectsThemOnRequest() throws Exception {
        try (PbServer server = PbServer.builder().root(new AddRoot()).build().start()) {
            IdleClients clients = IdleClients.start(server.port(), 50);
            try {
                for (int round = 0; round < 2; round++) {
                    assertThat(clients.connectAll()).isNotNegative();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> server.connectionCount() == 50);
                    clients.disconnectAll();
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> server.connectionCount() == 0);
                }
            } finally {
                clients.close();
            }
            assertThat(clients.isAlive()).isFalse();
        }
    }

    @Test
    void theChildExitsWhenTheParentClosesIt() throws Exception {
        try (PbServer server = PbServer.builder().root(new AddRoot()).build().start()) {
            IdleClients clients = IdleClients.start(server.port(), 5);
            clients.connectAll();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 5);
            clients.close();
            assertThat(clients.isAlive()).isFalse();
            // the connections die with the child's process
            await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
        }
    }

    @Test
    void retainedHeapIsTheDifferenceOfTwoMeasurements() {
        int mib = 1024 * 1024;
        long before = W7Connections.usedHeapAfterGc();
        byte[][] retained = new byte[32][];
        for (int i = 0; i < retained.length; i++) {
            retained[i] = new byte[mib - 16]; // each array: 1 MiB with its header
        }
        long after = W7Connections.usedHeapAfterGc();
        Reference.reachabilityFence(retained);
        // Less than 32 MiB by a few hundred bytes when something else became garbage between
        // the two measurements (seen on a loaded machine): allow 64 KiB of that.
        assertThat(after - before).isBetween(32L * mib - 64 * 1024, 36L * mib);
    }
}
