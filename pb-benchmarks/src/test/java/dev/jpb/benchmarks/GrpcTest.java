package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class GrpcTest {
    private static Grpc.Server server;
    private static Grpc.Client client;

    @BeforeAll
    static void start() throws Exception {
        server = new Grpc.Server();
        client = new Grpc.Client(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void answersEachPipelinedAddWithItsOwnSum() throws Exception {
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            calls.add(client.add(i, 2 * i));
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(3 * i);
        }
        assertThat(client.add(-7, Integer.MIN_VALUE).get(10, TimeUnit.SECONDS))
                .isEqualTo(Integer.MIN_VALUE - 7);
    }

    @Test
    void echoesThePayload() throws Exception {
        byte[] payload = new byte[16 * 1024];
        new Random(1).nextBytes(payload);
        assertThat(client.echo(payload).get(10, TimeUnit.SECONDS)).isEqualTo(payload);
        assertThat(client.echo(new byte[0]).get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void answersWithCallbackWithTheClientsPingAnswer() throws Exception {
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(client.withCallback(i));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
        }
    }

    @Test
    void warmUpMixesEveryCallWithoutAFailure() throws Exception {
        GrpcState state = new GrpcState();
        state.client = client;
        assertThat(state.warmUp(1000, Duration.ofSeconds(10))).isEqualTo(1000);
        assertThat(state.warmUp(Integer.MAX_VALUE, Duration.ofMillis(200))).isGreaterThan(16);
    }
}
