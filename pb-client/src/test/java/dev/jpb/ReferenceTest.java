package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ReferenceTest {
    /** A thing the server hands out by reference. */
    public static class Thing extends Referenceable {
        final int n;

        Thing(int n) {
            this.n = n;
        }

        public int remote_n() {
            return n;
        }
    }

    /** A copy carrying a reference in a field declared Object. */
    public record Holder(String label, Object ref) implements Copyable {
    }

    public static class Server extends Root {
        final Thing shared = new Thing(7);
        final List<Object> received = new CopyOnWriteArrayList<>();

        public Thing remote_shared() {
            return shared;
        }

        public boolean remote_isShared(Object o) {
            return o == shared;
        }

        public Object remote_bounce(Object o) {
            received.add(o);
            return o;
        }

        public List<Thing> remote_many(int count) {
            List<Thing> list = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                list.add(new Thing(i));
            }
            return list;
        }

        public Holder remote_holder() {
            return new Holder("h", shared);
        }

        public Map<String, Object> remote_map() {
            return Map.of("thing", shared, "two", List.of(shared, shared));
        }

        public int remote_callBack(RemoteReference callback, int x) throws Exception {
            return callback.<Integer>callRemote("twice", x).get();
        }

        public CompletableFuture<Integer> remote_callBackAsync(RemoteReference cb, int x) {
            return cb.callRemote("twice", x);
        }

        final List<CompletableFuture<Integer>> kept = new CopyOnWriteArrayList<>();

        /** Returns the callback's future (forwarded) but keeps it too. */
        public CompletableFuture<Integer> remote_callBackKept(RemoteReference cb, int x) {
            CompletableFuture<Integer> f = cb.callRemote("twice", x);
            kept.add(f);
            return f;
        }
    }

    public static class Doubler extends Referenceable {
        public int remote_twice(int x) {
            if (x < 0) {
                throw new IllegalArgumentException("negative: " + x);
            }
            return 2 * x;
        }
    }

    @Test
    void referenceSentBackToItsOwnerArrivesAsTheOriginalObject() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            RemoteReference thing = get(root.callRemote("shared"));
            assertThat(get(thing.<Integer>callRemote("n"))).isEqualTo(7);
            assertThat(get(root.<Boolean>callRemote("isShared", thing))).isTrue();
            get(root.callRemote("bounce", thing));
            assertThat(server.received).singleElement().isSameAs(server.shared);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameObjectTwiceYieldsTheSameProxy() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            RemoteReference a = get(root.callRemote("shared"));
            RemoteReference b = get(root.callRemote("shared"));
            assertThat(a).isSameAs(b);
            Map<String, Object> map = get(root.callRemote("map"));
            assertThat(map.get("thing")).isSameAs(a);
            assertThat((List<Object>) map.get("two")).containsExactly(a, a);
        }
    }

    @Test
    void clientCallbacksAreCalledByTheServerSyncAndAsync() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            Doubler doubler = new Doubler();
            assertThat(get(root.<Integer>callRemote("callBack", doubler, 21))).isEqualTo(42);
            assertThat(get(root.<Integer>callRemote("callBackAsync", doubler, 5))).isEqualTo(10);
            // a returned call's failure is forwarded as the answer too
            assertThatThrownBy(() -> get(root.callRemote("callBackAsync", doubler, -1)))
                    .hasRootCauseInstanceOf(RemoteCallException.class)
                    .hasStackTraceContaining("java.lang.IllegalArgumentException: negative: -1");
            for (int i = 0; i < 200; i++) { // forwarded answers, many in flight
                List<CompletableFuture<Integer>> calls = new ArrayList<>();
                for (int j = 0; j < 20; j++) {
                    calls.add(root.callRemote("callBackAsync", doubler, j));
                }
                for (int j = 0; j < 20; j++) {
                    assertThat(get(calls.get(j))).isEqualTo(2 * j);
                }
            }
            // the client's own object comes back as itself
            assertThat(get(root.<Object>callRemote("bounce", doubler))).isSameAs(doubler);
        }
    }

    @Test
    void aForwardedFutureTheMethodKeptStillCompletesOffTheIoThreads() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            Doubler doubler = new Doubler();
            for (int i = 0; i < 50; i++) {
                assertThat(get(root.<Integer>callRemote("callBackKept", doubler, i)))
                        .isEqualTo(2 * i);
            }
            // answered first (forwarded), then completed in a late batch on the executor
            for (int i = 0; i < 50; i++) {
                assertThat(server.kept.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(2 * i);
            }
        }
    }

    @Test
    void referencesInsideCollectionsAndRecordsWork() throws Exception {
        try (Loopback lo = new Loopback(new Server(), Holder.class)) {
            RemoteReference root = get(lo.client().getRootObject());
            Holder h = get(root.callRemote("holder"));
            assertThat(h.label()).isEqualTo("h");
            assertThat(h.ref()).isInstanceOf(RemoteReference.class);
            assertThat(get(((RemoteReference) h.ref()).<Integer>callRemote("n"))).isEqualTo(7);
            List<RemoteReference> many = get(root.callRemote("many", 3));
            assertThat(get(many.get(2).<Integer>callRemote("n"))).isEqualTo(2);
            // a local referenceable inside a copy sent to the server arrives as a reference
            Doubler d = new Doubler();
            Holder back = get(root.callRemote("bounce", new Holder("mine", d)));
            assertThat(back.ref()).isSameAs(d);
        }
    }

    @Test
    void releasedReferencesLeaveTheOwnersTableAfterGc() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            PbClient client = lo.client();
            RemoteReference root = get(client.getRootObject());
            Connection serverSide = lo.server.connections().iterator().next();
            List<RemoteReference> many = get(root.callRemote("many", 2000));
            assertThat(many).hasSize(2000);
            assertThat(serverSide.exportedObjectCount()).isEqualTo(2001); // + root
            assertThat(client.connection().importedReferenceCount()).isEqualTo(2001);
            many = null;
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                System.gc();
                assertThat(serverSide.exportedObjectCount()).isEqualTo(1);
            });
            assertThat(client.connection().importedReferenceCount()).isEqualTo(1);
            root.release();
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(serverSide.exportedObjectCount()).isZero());
            assertThatThrownBy(() -> get(root.callRemote("shared")))
                    .cause().isInstanceOf(DeadReferenceException.class);
            lo.assertTablesDrain();
        }
    }

    @Test
    void releasesRacingRepeatedSendsNeverLoseACount() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            Connection serverSide = lo.server.connections().iterator().next();
            for (int i = 0; i < 200; i++) {
                RemoteReference thing = get(root.callRemote("shared"));
                CompletableFuture<RemoteReference> again = root.callRemote("shared");
                thing.release(); // the decref crosses the second send in flight
                RemoteReference second = get(again);
                // Either the answer was decoded before the release (same, now dead, proxy)
                // or after it (a fresh proxy, counted anew): never a live proxy to a dead id.
                if (second != thing) {
                    assertThat(get(second.<Integer>callRemote("n"))).isEqualTo(7);
                    second.release();
                }
                assertThat(get(get(root.<RemoteReference>callRemote("shared"))
                        .<Integer>callRemote("n"))).isEqualTo(7);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                System.gc();
                assertThat(serverSide.exportedObjectCount()).isEqualTo(1);
            });
            assertThat(serverSide.isOpen()).isTrue(); // no decref was ever over-counted
        }
    }

    public interface ThingApi {
        int n();
    }

    @Test
    void typedProxySentBackArrivesAsTheOriginalObject() throws Exception {
        Server server = new Server();
        try (Loopback lo = new Loopback(server)) {
            RemoteReference root = get(lo.client().getRootObject());
            ThingApi thing = get(root.<RemoteReference>callRemote("shared")).as(ThingApi.class);
            assertThat(thing.n()).isEqualTo(7);
            assertThat(get(root.<Boolean>callRemote("isShared", thing))).isTrue();
        }
    }

    @Test
    void releasedReferenceCannotBeSentOrCalled() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference root = get(lo.client().getRootObject());
            RemoteReference thing = get(root.callRemote("shared"));
            thing.release();
            thing.release(); // idempotent
            assertThat(thing.isConnected()).isFalse();
            assertThatThrownBy(() -> get(thing.callRemote("n")))
                    .cause().isInstanceOf(DeadReferenceException.class);
            assertThatThrownBy(() -> get(root.callRemote("bounce", thing)))
                    .cause().isInstanceOf(DeadReferenceException.class);
        }
    }

    @Test
    void referenceFromAnotherConnectionIsRefused() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            RemoteReference rootA = get(lo.client().getRootObject());
            RemoteReference rootB = get(lo.client().getRootObject());
            assertThatThrownBy(() -> get(rootB.callRemote("bounce", rootA)))
                    .cause().isInstanceOf(PbException.class)
                    .hasMessageContaining("connection it came from");
        }
    }

    @Test
    void exportLimitIsEnforcedWithATypedError() throws Exception {
        Limits limits = Limits.builder().maxExportedObjects(10).build();
        try (Loopback lo = new Loopback(new Server(), b -> b.limits(limits))) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThatThrownBy(() -> get(root.callRemote("many", 20)))
                    .cause().isInstanceOf(LimitExceededException.class)
                    .hasMessageContaining("maxExportedObjects");
            List<RemoteReference> few = get(root.callRemote("many", 5));
            assertThat(few).hasSize(5);
        }
    }
}
