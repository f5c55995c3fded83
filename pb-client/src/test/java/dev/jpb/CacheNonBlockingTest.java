package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.OrderFixtures.Callback;
import dev.jpb.OrderFixtures.Feed;
import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code @NonBlocking observe_} methods, like {@code @NonBlocking remote_} ones: run on the I/O
 * thread that read the update when the connection has no earlier inbound work, on the
 * executor otherwise, and always in the connection's order with its calls and other updates.
 */
@Timeout(120)
class CacheNonBlockingTest {
    private static final int MESSAGES = 3000;

    /** The receiver's copy: one marked and one unmarked update, both recorded in order. */
    public static class FeedCopy extends RemoteCache {
        final List<Integer> arrivals;
        final List<String> markedThreads = new CopyOnWriteArrayList<>();
        final List<String> unmarkedThreads = new CopyOnWriteArrayList<>();

        FeedCopy(List<Integer> arrivals) {
            this.arrivals = arrivals;
        }

        @Override
        protected void setState(Object state) {
        }

        @NonBlocking
        public void observe_marked(int n) {
            markedThreads.add(Thread.currentThread().getName());
            arrivals.add(n);
        }

        public void observe_unmarked(int n) {
            unmarkedThreads.add(Thread.currentThread().getName());
            arrivals.add(n);
        }
    }

    public static class Server extends Root {
        final Feed feed = new Feed();

        public Feed remote_feed() {
            return feed;
        }

        /** Sends {@code n} messages from this one thread: updates of both kinds and calls. */
        public void remote_interleave(RemoteReference callback, int n) {
            Observer observer = feed.observers.get(0);
            for (int i = 0; i < n; i++) {
                switch (i % 5) {
                    case 0, 3 -> observer.callRemote("marked", i);
                    case 1 -> callback.callRemoteOnly("seq", i);
                    case 2 -> observer.callRemote("unmarked", i);
                    default -> callback.callRemote("seqAnswered", i);
                }
            }
        }
    }

    private static ExecutorService appThreads() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "app-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Test
    void aMarkedUpdateRunsOnTheIoThreadOfAnIdleConnectionAndAnUnmarkedOneOnTheExecutor()
            throws Exception {
        Server server = new Server();
        ExecutorService executor = appThreads();
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        try (Loopback net = new Loopback(server)) {
            PbClient client = net.client(b -> b.executor(executor)
                    .registerCache(Feed.class, () -> new FeedCopy(arrivals)));
            FeedCopy copy = get(get(client.getRootObject()).<FeedCopy>callRemote("feed"));
            Observer observer = server.feed.observers.get(0);
            // The copy's answer frees the connection's turn just after it is sent: until then
            // a marked update waits on the executor, as it must. One lands on the I/O thread.
            AtomicInteger sent = new AtomicInteger();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                observer.callRemote("marked", sent.incrementAndGet());
                return copy.markedThreads.stream().anyMatch(t -> t.contains("-io-"));
            });
            observer.callRemote("unmarked", 0);
            await().atMost(Duration.ofSeconds(20)).until(() -> copy.unmarkedThreads.size() == 1);
            assertThat(copy.unmarkedThreads.get(0)).startsWith("app-");
            await().atMost(Duration.ofSeconds(20)).until(() -> arrivals.size() == sent.get() + 1);
            assertThat(copy.version()).isEqualTo(sent.get() + 1);
        } finally {
            executor.shutdown();
        }
    }

    private static void interleavedMessagesArriveInSendOrder(
            UnaryOperator<PbClient.Builder> options) throws Exception {
        List<Integer> arrivals = new CopyOnWriteArrayList<>();
        Server server = new Server();
        ExecutorService executor = appThreads(); // several threads: a queue apart would reorder
        try (Loopback net = new Loopback(server)) {
            PbClient client = net.client(b -> options.apply(b.executor(executor)
                    .registerCache(Feed.class, () -> new FeedCopy(arrivals))));
            RemoteReference root = get(client.getRootObject());
            FeedCopy copy = get(root.callRemote("feed"));
            root.callRemote("interleave", new Callback(arrivals), MESSAGES)
                    .get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.size() >= MESSAGES);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add(i);
            }
            assertThat(arrivals).containsExactlyElementsOf(expected);
            assertThat(copy.version()).isEqualTo(MESSAGES * 3 / 5);
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void markedUpdatesKeepTheirPlaceAmongCallsAndUnmarkedUpdates() throws Exception {
        interleavedMessagesArriveInSendOrder(b -> b);
    }

    @Test
    void markedUpdatesWaitBehindHeldCallsAndKeepTheOrder() throws Exception {
        // One call in flight at a time: most calls are held at the gate, the updates behind them
        interleavedMessagesArriveInSendOrder(
                b -> b.limits(Limits.builder().maxInFlightCalls(1).build()));
    }
}
