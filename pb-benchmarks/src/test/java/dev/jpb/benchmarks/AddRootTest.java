package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.RemoteReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The benchmarks' jpb root over a real loopback connection, as {@link JpbState} runs it. */
@Timeout(20)
class AddRootTest {
    private final JpbState jpb = new JpbState();

    @BeforeEach
    void start() throws Exception {
        jpb.start(); // checks add(20, 22) itself
    }

    @AfterEach
    void stop() {
        jpb.stop();
        assertThat(jpb.client.connection().isOpen()).isFalse();
    }

    @Test
    void echoesThePayload() throws Exception {
        byte[] payload = W3Payload.payload();
        byte[] echoed = jpb.root.<byte[]>callRemote("echo", payload).get(10, TimeUnit.SECONDS);
        assertThat(echoed).isEqualTo(payload).isNotSameAs(payload);
    }

    @Test
    void answersWithCallbackWithTheCallersPingAnswer() throws Exception {
        PingCallback callback = new PingCallback();
        List<CompletableFuture<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(jpb.root.callRemote("withCallback", callback, i));
        }
        for (int i = 0; i < 200; i++) {
            assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i + 1);
        }
    }

    @Test
    void directExecutorStateAnswersTheSame() throws Exception {
        JpbDirectState direct = new JpbDirectState();
        direct.start();
        try {
            RemoteReference root = direct.root;
            assertThat(root.<Integer>callRemote("withCallback", new PingCallback(), 41)
                    .get(10, TimeUnit.SECONDS)).isEqualTo(42);
            byte[] payload = W3Payload.payload();
            assertThat(root.<byte[]>callRemote("echo", payload).get(10, TimeUnit.SECONDS))
                    .isEqualTo(payload);
        } finally {
            direct.stop();
        }
    }
}
