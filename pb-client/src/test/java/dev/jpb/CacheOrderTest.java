package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.OrderFixtures.Callback;
import dev.jpb.OrderFixtures.Feed;
import dev.jpb.OrderFixtures.FeedCopy;
import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Updates to a copy and calls share one connection's inbound order (issue 10, point 5): an
 * owner that interleaves {@code Observer.callRemote} and {@code callRemote} on one connection,
 * from one thread, sees the receiver run them in that order, over a real socket.
 */
@Timeout(120)
class CacheOrderTest {
    private static final int MESSAGES = 6000;

    public static class Server extends Root {
        final Feed feed = new Feed();

        public Feed remote_feed() {
            return feed;
        }

        /** Sends {@code n} messages from this one thread, alternating updates and calls. */
        public void remote_interleave(RemoteReference callback, int n) {
            Observer observer = feed.observers.get(0);
            for (int i = 0; i < n; i++) {
                switch (i % 4) {
                    case 0, 2 -> observer.callRemote("seq", i);
                    case 1 -> callback.callRemoteOnly("seq", i);
                    default -> callback.callRemote("seqAnswered", i);
                }
            }
        }
    }

    private static void interleavedMessagesArriveInSendOrder(
            java.util.function.UnaryOperator<PbClient.Builder> options) throws Exception {
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        Server server = new Server();
        // Several threads on the receiver: separate queues would reorder at once.
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try (Loopback net = new Loopback(server)) {
            PbClient client = net.client(b -> options.apply(b.executor(executor)
                    .registerCache(Feed.class, () -> new FeedCopy(arrivals))));
            RemoteReference root = get(client.getRootObject());
            FeedCopy copy = get(root.callRemote("feed"));
            assertThat(copy).isNotNull();
            // Its answer follows the messages on the wire: a loaded machine may take a while.
            root.callRemote("interleave", new Callback(arrivals), MESSAGES)
                    .get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.size() >= MESSAGES);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add(i);
            }
            assertThat(arrivals).containsExactlyElementsOf(expected);
            // reachable to here: a copy collected during the traffic would stop observing
            assertThat(copy.version()).isEqualTo(MESSAGES / 2); // cases 0 and 2
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void updatesAndCallsFromOneThreadRunInSendOrder() throws Exception {
        interleavedMessagesArriveInSendOrder(b -> b);
    }

    @Test
    void updatesWaitBehindHeldCallsAndKeepTheOrder() throws Exception {
        // One call in flight at a time: most calls are held at the gate, the updates behind them
        interleavedMessagesArriveInSendOrder(
                b -> b.limits(Limits.builder().maxInFlightCalls(1).build()));
    }
}
