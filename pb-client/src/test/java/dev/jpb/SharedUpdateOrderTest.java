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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code Cacheable.callRemoteAll} starts one writing task per event loop for all its
 * connections (the outboxes' drains gathered in a {@code DrainBatch}) instead of one per
 * connection; this checks it keeps each connection's order. One thread interleaves updates to
 * every copy with calls on every client's callback while other threads send calls to the same
 * connections the whole time (so some outboxes already have a drain scheduled when the update
 * is queued, others not): every client runs the updates and the calls in send order.
 */
@Timeout(180)
class SharedUpdateOrderTest {
    private static final int CLIENTS = 5;
    private static final int MESSAGES = 3000;

    public static class Server extends Root {
        final Feed feed = new Feed();
        final Map<Connection, RemoteReference> callbacks = new ConcurrentHashMap<>();

        public Feed remote_feed() {
            return feed;
        }

        public void remote_register(RemoteReference callback) {
            callbacks.put(CallContext.current().connection(), callback);
        }

        /** From one thread: update every copy, a one-way call, an answered call, and so on. */
        void interleave(int n) {
            for (int i = 0; i < n; i++) {
                int seq = i;
                switch (i % 3) {
                    case 0 -> feed.publish(seq);
                    case 1 -> callbacks.values().forEach(c -> c.callRemoteOnly("seq", seq));
                    default -> callbacks.values().forEach(c -> c.callRemote("seqAnswered", seq));
                }
            }
        }
    }

    private static void updatesAndCallsKeepEachConnectionsOrder(int serverIoThreads)
            throws Exception {
        Server server = new Server();
        ExecutorService executor = Executors.newFixedThreadPool(4); // a reorder would show
        ExecutorService noisy = Executors.newFixedThreadPool(2);
        AtomicBoolean done = new AtomicBoolean();
        try (Loopback net = new Loopback(server, b -> b.ioThreads(serverIoThreads))) {
            List<List<Integer>> arrivals = new ArrayList<>();
            List<Callback> callbacks = new ArrayList<>();
            List<FeedCopy> copies = new ArrayList<>(); // reachable: a collected copy stops
            for (int c = 0; c < CLIENTS; c++) {
                List<Integer> mine = new CopyOnWriteArrayList<>();
                PbClient client = net.client(b -> b.executor(executor)
                        .registerCache(Feed.class, () -> new FeedCopy(mine)));
                RemoteReference root = get(client.getRootObject());
                copies.add(get(root.callRemote("feed")));
                Callback callback = new Callback(mine);
                get(root.callRemote("register", callback));
                arrivals.add(mine);
                callbacks.add(callback);
            }
            assertThat(server.feed.observers).hasSize(CLIENTS);
            assertThat(server.callbacks).hasSize(CLIENTS);
            for (int t = 0; t < 2; t++) {
                noisy.execute(() -> {
                    // Paced by an answered call now and then: one-way calls meeting a full
                    // outbound buffer (maxQueuedOutboundBytes) would be dropped, ours too.
                    for (int round = 0; !done.get(); round++) {
                        server.callbacks.values().forEach(c -> c.callRemoteOnly("noise"));
                        if (round % 32 == 31) {
                            for (RemoteReference c : server.callbacks.values()) {
                                c.callRemote("noiseAnswered").join();
                            }
                        }
                    }
                });
            }
            // The noise must be under way before the numbered traffic starts, or a fast
            // interleave could finish before either noisy thread sent anything.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> callbacks.stream().allMatch(c -> c.noise.get() > 0));
            long noiseBefore = callbacks.stream().mapToLong(c -> c.noise.get()).sum();
            server.interleave(MESSAGES);
            done.set(true);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                expected.add(i);
            }
            for (List<Integer> mine : arrivals) {
                await().atMost(Duration.ofSeconds(60)).until(() -> mine.size() >= MESSAGES);
                assertThat(mine).containsExactlyElementsOf(expected);
            }
            // the noise went on while the numbered traffic ran
            assertThat(callbacks.stream().mapToLong(c -> c.noise.get()).sum())
                    .isGreaterThan(noiseBefore);
            assertThat(copies).hasSize(CLIENTS);
        } finally {
            done.set(true);
            noisy.shutdown();
            noisy.awaitTermination(10, TimeUnit.SECONDS);
            executor.shutdown();
        }
    }

    @Test
    void connectionsSharingOneEventLoopKeepTheirOrder() throws Exception {
        updatesAndCallsKeepEachConnectionsOrder(1); // one task drains all five
    }

    @Test
    void connectionsOnSeveralEventLoopsKeepTheirOrder() throws Exception {
        updatesAndCallsKeepEachConnectionsOrder(3); // a task per loop, several drains each
    }
}
