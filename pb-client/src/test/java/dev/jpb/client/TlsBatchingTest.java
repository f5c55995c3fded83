package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.CallContext;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.TlsIdentity;
import dev.jpb.server.PbServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over TLS the outbox holds a flush back while more answers are about to follow (so that they
 * share a TLS record): pipelined calls must still all be answered, an answer must not wait
 * behind a slow call queued after it, and answers written just before the server closes the
 * connection must reach the client before the close.
 */
@Timeout(60)
class TlsBatchingTest {
    private static final TlsIdentity IDENTITY = TlsIdentity.selfSigned("localhost", "127.0.0.1");

    /** Quick calls, a call that waits for the test, and one that closes its connection. */
    public static final class Service extends Root {
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch slowStarted = new CountDownLatch(1);

        /** Answers at once. */
        public int remote_twice(int i) {
            return 2 * i;
        }

        /** Waits until the test lets it go. */
        public String remote_slow() throws InterruptedException {
            slowStarted.countDown();
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the slow call");
            }
            return "slow done";
        }

        /** Closes the connection it was called on. */
        public void remote_closeConnection() {
            CallContext.current().connection().close();
        }
    }

    private final Service service = new Service();
    private PbServer server;
    private PbClient client;
    private RemoteReference root;

    @BeforeEach
    void start() throws Exception {
        server = PbServer.builder().root(service).tls(IDENTITY).bind("127.0.0.1", 0).build()
                .start();
        client = PbClient.builder().pinServer(IDENTITY.fingerprint())
                .connect("127.0.0.1", server.port());
        root = client.getRootObject().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        service.release.countDown();
        client.close();
        server.close();
    }

    private List<CompletableFuture<Integer>> twice(int from, int to) {
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = from; i < to; i++) {
            answers.add(root.callRemote("twice", i));
        }
        return answers;
    }

    private static void assertTwice(List<CompletableFuture<Integer>> answers, int from)
            throws Exception {
        for (int i = 0; i < answers.size(); i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2 * (from + i));
        }
    }

    @Test
    void manyPipelinedCallsAreAllAnswered() throws Exception {
        List<CompletableFuture<Integer>> answers = twice(0, 5_000);
        assertTwice(answers, 0);
    }

    @Test
    void answersBeforeASlowCallArriveWhileItRuns() throws Exception {
        List<CompletableFuture<Integer>> before = twice(0, 200);
        CompletableFuture<String> slow = root.callRemote("slow");
        List<CompletableFuture<Integer>> after = twice(200, 400);
        assertThat(service.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
        assertTwice(before, 0); // the slow call still runs: nothing held them back
        assertThat(slow).isNotDone();
        service.release.countDown();
        assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("slow done");
        assertTwice(after, 200);
    }

    @Test
    void answersWrittenBeforeTheServerClosesArrive() throws Exception {
        List<CompletableFuture<Integer>> before = twice(0, 500);
        root.callRemote("closeConnection");
        List<CompletableFuture<Integer>> after = twice(500, 1_000);
        assertTwice(before, 0);
        // Queued behind the close: failed or (if answered in time) right; never lost silently.
        for (CompletableFuture<Integer> f : after) {
            f.handle((v, t) -> v).get(10, TimeUnit.SECONDS);
        }
    }
}
