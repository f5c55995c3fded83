package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.OrderFixtures.Feed;
import dev.jpb.client.PbClient;
import dev.jpb.internal.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Copies on many connections of one client event loop and one small executor, the updates of a
 * {@code callRemoteAll} read together in one loop iteration and handed to the executor in one
 * batch (internal.broker's LoopBatch): each copy still sees every update in order, and a copy
 * whose {@code observe_} method blocks holds up no other connection.
 */
@Timeout(120)
class CacheBatchedDeliveryTest {
    private static final int CLIENTS = 10;
    private static final int UPDATES = 200;

    /** A copy recording its updates; the first one blocks until released, if told to. */
    public static class GateCopy extends RemoteCache {
        final List<Integer> arrivals = new CopyOnWriteArrayList<>();
        final CountDownLatch release; // null: never blocks

        GateCopy(CountDownLatch release) {
            this.release = release;
        }

        @Override
        protected void setState(Object state) {
        }

        public void observe_seq(int n) throws InterruptedException {
            arrivals.add(n);
            if (n == 0 && release != null) {
                // Plain blocking in user code, no jpb future: the turn is not given up.
                assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    public static class Server extends Root {
        final Feed feed = new Feed();

        public Feed remote_feed() {
            return feed;
        }
    }

    @Test
    void aCopyBlockedInItsObserveMethodHoldsUpNoOtherConnectionAndAllKeepTheirOrder()
            throws Exception {
        Server server = new Server();
        EventLoopGroup group = Transport.newEventLoopGroup(1, "batched-client-io");
        ExecutorService executor = Executors.newFixedThreadPool(2);
        CountDownLatch release = new CountDownLatch(1);
        List<GateCopy> copies = new ArrayList<>();
        try (Loopback net = new Loopback(server)) {
            for (int c = 0; c < CLIENTS; c++) {
                CountDownLatch gate = c == 0 ? release : null;
                PbClient client = net.client(b -> b.eventLoopGroup(group).executor(executor)
                        .registerCache(Feed.class, () -> new GateCopy(gate)));
                copies.add(get(get(client.getRootObject()).<GateCopy>callRemote("feed")));
            }
            assertThat(server.feed.observers).hasSize(CLIENTS);
            for (int i = 0; i < UPDATES; i++) {
                server.feed.publish(i); // to all ten connections at once
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < UPDATES; i++) {
                expected.add(i);
            }
            // While copy 0 still blocks a pool thread in its first update:
            for (int c = 1; c < CLIENTS; c++) {
                GateCopy copy = copies.get(c);
                await().atMost(Duration.ofSeconds(30)).until(() -> copy.arrivals.size() == UPDATES);
                assertThat(copy.arrivals).as("copy " + c).containsExactlyElementsOf(expected);
            }
            assertThat(copies.get(0).arrivals).containsExactly(0);
            release.countDown();
            GateCopy blocked = copies.get(0);
            await().atMost(Duration.ofSeconds(30)).until(() -> blocked.arrivals.size() == UPDATES);
            assertThat(blocked.arrivals).containsExactlyElementsOf(expected);
        } finally {
            release.countDown();
            executor.shutdown();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
