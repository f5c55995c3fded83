package dev.jpb.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.Avatar;
import dev.jpb.Cacheable;
import dev.jpb.Observer;
import dev.jpb.RemoteCache;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import dev.jpb.server.Passwords;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The login and cache meters of a server and its clients, read after known traffic. */
@Timeout(60)
class LoginAndCacheMetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final char[] PASSWORD = "correct horse".toCharArray();

    private final SimpleMeterRegistry serverMeters = new SimpleMeterRegistry();
    private final SimpleMeterRegistry clientMeters = new SimpleMeterRegistry();
    private final Feed feed = new Feed();
    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private PbServer server;

    /** A user's avatar. */
    public static final class User extends Avatar {
    }

    /** The server's cacheable: each update goes to every copy. */
    public static final class Feed extends Cacheable {
        final List<Observer> observers = new CopyOnWriteArrayList<>();

        @Override
        protected Object stateFor(Observer observer) {
            observers.add(observer);
            return null;
        }

        @Override
        protected void stoppedObserving(Observer observer) {
            observers.remove(observer);
        }

        void publish(int n) {
            for (Observer o : observers) {
                o.callRemote("item", n);
            }
        }
    }

    /** A client's copy: counts the updates. */
    public static final class FeedCopy extends RemoteCache {
        final List<Integer> items = new CopyOnWriteArrayList<>();

        @Override
        protected void setState(Object state) {
        }

        public void observe_item(int n) {
            items.add(n);
        }
    }

    /** Hands out the feed. */
    public final class FeedRoot extends Root {
        public Feed remote_feed() {
            return feed;
        }
    }

    private void start() {
        server = PbServer.builder().root(new FeedRoot()).realm((id, mind, c) -> new User())
                .passwords(Passwords.create().add("alice", PASSWORD))
                .meterRegistry(serverMeters).bind("127.0.0.1", 0).build().start();
    }

    private PbClient client() {
        PbClient c = PbClient.builder().meterRegistry(clientMeters)
                .registerCache(Feed.class, FeedCopy::new).connect("127.0.0.1", server.port());
        clients.add(c);
        return c;
    }

    @AfterEach
    void closeAll() {
        clients.forEach(PbClient::close);
        if (server != null) {
            server.close();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void loginsAreCountedByMechanismAndFailureKindNeverByUser() throws Exception {
        start();
        get(client().login("alice", PASSWORD, null));
        PbClient wrong = client();
        for (int i = 0; i < 2; i++) {
            CompletableFuture<RemoteReference> f = wrong.login("alice", "guess".toCharArray(),
                    null);
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class);
        }
        CompletableFuture<RemoteReference> anon = client().loginAnonymously(null);
        assertThatThrownBy(() -> get(anon)).isInstanceOf(ExecutionException.class);

        await().atMost(WAIT).until(() -> count("jpb.logins.failed", "anonymous",
                LoginKinds.NOT_ALLOWED) == 1);
        assertThat(count("jpb.logins.started", "password", null)).isEqualTo(3);
        assertThat(count("jpb.logins.started", "anonymous", null)).isEqualTo(1);
        assertThat(count("jpb.logins.succeeded", "password", null)).isEqualTo(1);
        assertThat(count("jpb.logins.succeeded", "anonymous", null)).isZero();
        assertThat(count("jpb.logins.failed", "password", LoginKinds.BAD_CREDENTIALS))
                .isEqualTo(2);
        for (Meter m : serverMeters.getMeters()) {
            for (Tag t : m.getId().getTags()) {
                assertThat(t.getValue()).as(m.getId().toString()).doesNotContain("alice");
            }
        }
        // The client side serves no logins: it counts none.
        assertThat(clientMeters.find("jpb.logins.started").counters()).isEmpty();
    }

    @Test
    void observersCopiesAndUpdatesAreMeasured() throws Exception {
        start();
        PbClient first = client();
        PbClient second = client();
        FeedCopy one = get(get(first.getRootObject()).callRemote("feed"));
        FeedCopy two = get(get(second.getRootObject()).callRemote("feed"));
        assertThat(gauge(serverMeters, "jpb.cache.observers")).isEqualTo(2);
        assertThat(gauge(clientMeters, "jpb.cache.copies")).isEqualTo(2);
        assertThat(gauge(clientMeters, "jpb.cache.observers")).isZero();

        for (int i = 0; i < 10; i++) {
            feed.publish(i);
        }
        await().atMost(WAIT).until(() -> one.items.size() == 10 && two.items.size() == 10);
        assertThat(counter(serverMeters, "jpb.cache.updates.sent")).isEqualTo(20);
        assertThat(counter(clientMeters, "jpb.cache.updates.received")).isEqualTo(20);
        assertThat(counter(serverMeters, "jpb.cache.updates.received")).isZero();

        one.release();
        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.cache.observers") == 1);
        assertThat(gauge(clientMeters, "jpb.cache.copies")).isEqualTo(1);
        // reachable to here: a copy collected earlier would stop observing by itself
        assertThat(two.items).hasSize(10);
        second.close();
        await().atMost(WAIT).until(() -> gauge(serverMeters, "jpb.cache.observers") == 0);
    }

    private double count(String name, String mechanism, String reason) {
        var search = serverMeters.find(name).tag("side", "server").tag("mechanism", mechanism);
        if (reason != null) {
            search = search.tag("reason", reason);
        }
        Counter c = search.counter();
        return c == null ? 0 : c.count();
    }

    private static double counter(MeterRegistry r, String name) {
        return r.get(name).counter().count();
    }

    private static double gauge(MeterRegistry r, String name) {
        return r.get(name).gauge().value();
    }
}
