package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.cache.CacheableList;
import dev.jpb.cache.CachedList;
import dev.jpb.OrderFixtures.Feed;
import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One update to many observers, encoded once where the connections allow it
 * ({@code Cacheable.callRemoteAll}, and the ready-made collections): every copy gets the right
 * values even when the connections number the same types differently, or the update names a
 * reference (whose id belongs to one connection).
 */
@Timeout(120)
class SharedUpdateTest {
    /** A copy of a {@link Feed}: records what arrived. */
    public static class FeedCopy extends RemoteCache {
        final List<String> items = new CopyOnWriteArrayList<>();

        @Override
        protected void setState(Object state) {
        }

        public void observe_item(int n, String text, long triple) {
            items.add(n + "/" + text + "/" + triple);
        }
    }

    /** A referenceable sent inside an update. */
    public static class Named extends Referenceable {
        public String remote_name() {
            return "named";
        }
    }

    public static class Server extends Root {
        final CacheableList<Object> list = new CacheableList<>();
        final Feed feed = new Feed();

        public String remote_string() {
            return "s";
        }

        public long remote_long() {
            return 5L;
        }

        public CacheableList<Object> remote_list() {
            return list;
        }

        public Feed remote_feed() {
            return feed;
        }
    }

    @Test
    void everyCopyGetsTheRightValuesWhateverIdsItsConnectionGaveTheTypes() throws Exception {
        Server server = new Server();
        try (Loopback net = new Loopback(server)) {
            List<CachedList<Object>> copies = new ArrayList<>();
            // Three connections; the second numbers String and Long the other way round.
            for (String first : List.of("string", "long", "string")) {
                PbClient client = net.client();
                RemoteReference root = get(client.getRootObject());
                get(root.callRemote(first));
                get(root.callRemote(first.equals("string") ? "long" : "string"));
                copies.add(get(root.callRemote("list")));
            }
            server.list.add("x");
            server.list.add(7L);
            server.list.add(List.of("a", 1));
            Named named = new Named();
            server.list.add(named); // a reference: encoded per connection
            server.list.set(0, "y");
            server.list.remove(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> copies.stream()
                    .allMatch(c -> c.version() == server.list.version()));
            for (CachedList<Object> copy : copies) {
                List<Object> items = copy.snapshot();
                assertThat(items).hasSize(3);
                assertThat(items.get(0)).isEqualTo("y");
                assertThat(items.get(1)).isEqualTo(List.of("a", 1));
                RemoteReference ref = (RemoteReference) items.get(2);
                assertThat(get(ref.<String>callRemote("name"))).isEqualTo("named");
            }
        }
    }

    @Test
    void callRemoteAllReachesEveryCopyInOrder() throws Exception {
        Server server = new Server();
        int updates = 2000;
        try (Loopback net = new Loopback(server, b -> b)) {
            List<FeedCopy> copies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PbClient client = net.client(b -> b.registerCache(Feed.class, FeedCopy::new));
                RemoteReference root = get(client.getRootObject());
                if (i == 1) {
                    get(root.callRemote("long")); // Long first on this connection
                }
                copies.add(get(root.callRemote("feed")));
            }
            for (int n = 0; n < updates; n++) {
                server.feed.send("item", n, "text " + n, (long) n * 3);
            }
            List<String> expected = new ArrayList<>();
            for (int n = 0; n < updates; n++) {
                expected.add(n + "/text " + n + "/" + (long) n * 3);
            }
            for (FeedCopy copy : copies) {
                await().atMost(Duration.ofSeconds(30)).until(() -> copy.items.size() >= updates);
                assertThat(copy.items).containsExactlyElementsOf(expected);
            }
        }
    }
}
