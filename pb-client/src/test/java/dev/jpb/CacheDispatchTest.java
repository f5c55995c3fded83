package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.OrderFixtures.Feed;
import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How an update finds its {@code observe_} method on the receiver: the OBSERVE header's name
 * read once per name, and the copy's last method remembered. Updates that change name and
 * arity from one to the next, sent by several threads at once to copies on several
 * connections, each reach the method they name, complete and in each sender's order; names
 * too long to be remembered, or not ASCII, reach theirs too.
 */
@Timeout(120)
class CacheDispatchTest {
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 1500;
    private static final int CLIENTS = 4;

    /** A copy whose methods share names across arities; records what ran, in order. */
    public static class FeedCopy extends RemoteCache {
        final List<String> ran = new CopyOnWriteArrayList<>();

        @Override
        protected void setState(Object state) {
        }

        public void observe_a(int sender, int seq) {
            ran.add(sender + ":" + seq + " a/2");
        }

        public void observe_a(int sender, int seq, String tag) {
            ran.add(sender + ":" + seq + " a/3 " + tag);
        }

        public void observe_b(int sender, int seq) {
            ran.add(sender + ":" + seq + " b/2");
        }

        public void observe_thisUpdateHasANameFarLongerThanSixtyFourCharactersOnTheWire(
                int sender, int seq) {
            ran.add(sender + ":" + seq + " long/2");
        }

        public void observe_grüße(int sender, int seq) {
            ran.add(sender + ":" + seq + " grüße/2");
        }
    }

    public static class Server extends Root {
        final Feed feed = new Feed();

        public Feed remote_feed() {
            return feed;
        }
    }

    /** Update {@code seq} of {@code sender}: its name and arguments cycle through five kinds. */
    private static void send(Feed feed, int sender, int seq) {
        switch (seq % 5) {
            case 0 -> feed.send("a", sender, seq);
            case 1 -> feed.send("a", sender, seq, "t" + seq);
            case 2 -> feed.send("b", sender, seq);
            case 3 -> feed.send(
                    "thisUpdateHasANameFarLongerThanSixtyFourCharactersOnTheWire", sender, seq);
            default -> feed.send("grüße", sender, seq);
        }
    }

    private static String expected(int sender, int seq) {
        String id = sender + ":" + seq;
        return switch (seq % 5) {
            case 0 -> id + " a/2";
            case 1 -> id + " a/3 t" + seq;
            case 2 -> id + " b/2";
            case 3 -> id + " long/2";
            default -> id + " grüße/2";
        };
    }

    @Test
    void updatesChangingNameAndArityFromSeveralThreadsReachTheirMethodsInOrder()
            throws Exception {
        Server server = new Server();
        // Several executor threads per client: a copy's updates must still run one at a time.
        ExecutorService executor = Executors.newFixedThreadPool(4);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        try (Loopback net = new Loopback(server)) {
            List<FeedCopy> copies = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                PbClient client = net.client(b -> b.executor(executor)
                        .registerCache(Feed.class, FeedCopy::new));
                copies.add(get(get(client.getRootObject()).<FeedCopy>callRemote("feed")));
            }
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> sent = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                int sender = s;
                sent.add(senders.submit(() -> {
                    start.await();
                    for (int seq = 0; seq < PER_SENDER; seq++) {
                        send(server.feed, sender, seq);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : sent) {
                f.get(60, TimeUnit.SECONDS);
            }
            for (FeedCopy copy : copies) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> copy.ran.size() >= SENDERS * PER_SENDER);
                assertThat(copy.ran).hasSize(SENDERS * PER_SENDER);
                assertThat(copy.version()).isEqualTo(SENDERS * PER_SENDER);
                // Each sender's updates, picked out of the interleaving, in its order.
                Map<Integer, List<String>> bySender = new HashMap<>();
                for (String r : copy.ran) {
                    int sender = Integer.parseInt(r.substring(0, r.indexOf(':')));
                    bySender.computeIfAbsent(sender, k -> new ArrayList<>()).add(r);
                }
                for (int s = 0; s < SENDERS; s++) {
                    List<String> want = new ArrayList<>();
                    for (int seq = 0; seq < PER_SENDER; seq++) {
                        want.add(expected(s, seq));
                    }
                    assertThat(bySender.get(s)).containsExactlyElementsOf(want);
                }
            }
        } finally {
            senders.shutdownNow();
            executor.shutdown();
        }
    }

    @Test
    void anUpdateNamingNoMethodIsDroppedAndTheNextOneStillFindsItsOwn() throws Exception {
        Server server = new Server();
        try (Loopback net = new Loopback(server)) {
            PbClient client = net.client(b -> b.registerCache(Feed.class, FeedCopy::new));
            FeedCopy copy = get(get(client.getRootObject()).<FeedCopy>callRemote("feed"));
            server.feed.send("a", 0, 0);
            server.feed.send("a", 0, 1, "x", "one too many"); // no a/4: logged, dropped
            server.feed.send("c", 0, 2); // no such name
            server.feed.send("a", 0, 3);
            server.feed.send("b", 0, 4);
            await().atMost(Duration.ofSeconds(20)).until(() -> copy.ran.size() >= 3);
            // A marker sent last: everything before it has been applied (or dropped).
            server.feed.send("a", 0, 5, "end");
            await().atMost(Duration.ofSeconds(20)).until(() -> copy.ran.size() >= 4);
            assertThat(copy.ran).containsExactly("0:0 a/2", "0:3 a/2", "0:4 b/2",
                    "0:5 a/3 end");
            assertThat(copy.version()).isEqualTo(4); // dropped updates are not counted
        }
    }
}
