package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.cache.CachedList;
import dev.jpb.cache.CachedMap;
import dev.jpb.cache.CacheableList;
import dev.jpb.cache.CacheableMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ready-made synced collections: zero protocol code, every copy sees every change. */
@Timeout(60)
class CacheCollectionsTest {
    public static class Server extends Root {
        final CacheableMap<String, Integer> scores = new CacheableMap<>();
        final CacheableList<String> log = new CacheableList<>();

        public CacheableMap<String, Integer> remote_scores() {
            return scores;
        }

        public CacheableList<String> remote_log() {
            return log;
        }

        public void remote_score(String who, int points) {
            scores.put(who, points);
        }
    }

    @Test
    void aCacheableMapFansEveryChangeOutToEveryCopyInOrder() throws Exception {
        Server server = new Server();
        server.scores.put("start", 0);
        try (Loopback net = new Loopback(server)) {
            List<CachedMap<String, Integer>> copies = new ArrayList<>();
            List<List<CachedMap.Change<String, Integer>>> heard = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CachedMap<String, Integer> copy = get(get(net.client().getRootObject())
                        .callRemote("scores"));
                assertThat(copy.snapshot()).containsExactly(Map.entry("start", 0));
                assertThat(copy.version()).isEqualTo(1);
                List<CachedMap.Change<String, Integer>> changes = new CopyOnWriteArrayList<>();
                copy.addListener(changes::add);
                copies.add(copy);
                heard.add(changes);
            }
            // one client changes it (through the server), all see it
            RemoteReference first = get(net.client().getRootObject());
            get(first.callRemote("score", "alice", 3));
            server.scores.put("bob", 5);
            server.scores.remove("start");
            server.scores.remove("nobody"); // no change, no update
            server.scores.put("alice", 4);
            assertThat(server.scores.version()).isEqualTo(5);
            for (int i = 0; i < 3; i++) {
                CachedMap<String, Integer> copy = copies.get(i);
                await().atMost(Duration.ofSeconds(10)).until(() -> copy.version() == 5);
                assertThat(copy.snapshot()).containsExactly(Map.entry("alice", 4),
                        Map.entry("bob", 5));
                assertThat(heard.get(i)).extracting(CachedMap.Change::version)
                        .containsExactly(2L, 3L, 4L, 5L);
                assertThat(heard.get(i).get(2).kind()).isEqualTo(CachedMap.Change.Kind.REMOVE);
                assertThat(heard.get(i).get(2).oldValue()).isZero();
                assertThat(heard.get(i).get(3).oldValue()).isEqualTo(3);
            }
            server.scores.clear();
            for (CachedMap<String, Integer> copy : copies) {
                await().atMost(Duration.ofSeconds(10)).until(() -> copy.size() == 0);
                assertThat(copy.version()).isEqualTo(6);
            }
            assertThat(server.scores.observerCount()).isEqualTo(3);
        }
        assertThat(server.scores.observerCount()).isZero();
    }

    @Test
    void aCacheableListKeepsEveryCopyInStep() throws Exception {
        Server server = new Server();
        server.log.add("a");
        try (Loopback net = new Loopback(server)) {
            CachedList<String> one = get(get(net.client().getRootObject()).callRemote("log"));
            CachedList<String> two = get(get(net.client().getRootObject()).callRemote("log"));
            List<CachedList.Change<String>> heard = new CopyOnWriteArrayList<>();
            two.addListener(heard::add);
            List<Long> versions = new CopyOnWriteArrayList<>();
            two.addChangeListener((copy, update, version) -> versions.add(version));
            server.log.add("c");
            server.log.add(1, "b");
            server.log.set(0, "A");
            server.log.remove(2);
            for (CachedList<String> copy : List.of(one, two)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> copy.version() == 5);
                assertThat(copy.snapshot()).containsExactly("A", "b")
                        .isEqualTo(server.log.snapshot());
            }
            assertThat(heard).extracting(CachedList.Change::kind).containsExactly(
                    CachedList.Change.Kind.ADD, CachedList.Change.Kind.ADD,
                    CachedList.Change.Kind.SET, CachedList.Change.Kind.REMOVE);
            assertThat(heard.get(2).oldElement()).isEqualTo("a");
            assertThat(versions).containsExactly(2L, 3L, 4L, 5L);
            one.release();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.log.observerCount() == 1);
            server.log.clear();
            await().atMost(Duration.ofSeconds(10)).until(() -> two.size() == 0);
            assertThat(one.snapshot()).containsExactly("A", "b"); // released: no more updates
        }
    }
}
