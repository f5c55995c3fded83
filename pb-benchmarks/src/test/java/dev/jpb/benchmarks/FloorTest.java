package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class FloorTest {
    @Test
    void answersEachPipelinedCallWithItsOwnSum() throws Exception {
        try (Floor.Server server = new Floor.Server();
                Floor.Client client = new Floor.Client(server.port())) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.add(i, 2 * i));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(3 * i);
            }
        }
    }
}
