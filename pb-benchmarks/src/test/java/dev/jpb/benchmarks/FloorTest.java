package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
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

    @Test
    void overTlsAnswersEachPipelinedCallWithItsOwnSum() throws Exception {
        try (Floor.Server server = new Floor.Server(TlsBench.server());
                Floor.Client client = new Floor.Client(server.port(), TlsBench.client())) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.add(i, 2 * i));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(3 * i);
            }
        }
    }

    @Test
    void jpbOverTlsAnswersThroughThePinnedConnection() throws Exception {
        JpbTlsState jpb = new JpbTlsState();
        jpb.start(); // checks add(20, 22) itself
        try {
            assertThat(jpb.client.serverFingerprint()).contains(TlsBench.IDENTITY.fingerprint());
        } finally {
            jpb.stop();
        }
    }

    @Test
    void echoesEachPipelinedPayloadAsItWasSent() throws Exception {
        try (Floor.Server server = new Floor.Server();
                Floor.Client client = new Floor.Client(server.port())) {
            byte[] payload = new byte[16 * 1024];
            new Random(1).nextBytes(payload);
            List<CompletableFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                byte[] bytes = Arrays.copyOf(payload, payload.length - i);
                bytes[0] = (byte) i;
                calls.add(client.echo(bytes));
            }
            for (int i = 0; i < 50; i++) {
                byte[] expected = Arrays.copyOf(payload, payload.length - i);
                expected[0] = (byte) i;
                assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(expected);
            }
            assertThat(client.echo(new byte[0]).get(10, TimeUnit.SECONDS)).isEmpty();
        }
    }

    @Test
    void answersEachCallWithCallbackAfterPingingTheClient() throws Exception {
        try (Floor.Server server = new Floor.Server();
                Floor.Client client = new Floor.Client(server.port())) {
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(client.withCallback(i));
            }
            for (int i = 0; i < 1000; i++) {
                assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
            }
            // the add path still works beside the callbacks
            assertThat(client.add(20, 22).get(10, TimeUnit.SECONDS)).isEqualTo(42);
        }
    }
}
