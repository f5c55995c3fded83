package dev.jpb.router;

import static dev.jpb.router.JpbRouterFixture.next;
import static dev.jpb.router.JpbRouterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Publish/subscribe between jpb clients through the router's jpb face. */
@Timeout(30)
class JpbPubSubTest {
    private final JpbRouterFixture f = new JpbRouterFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void exactSubscriberReceivesArgsKwargsAndIds() throws Exception {
        RouterClient sub = f.client();
        RouterClient pub = f.client();
        BlockingQueue<Event> events = queue();
        Subscription s = sub.subscribe("com.example.news", events::add).join();
        long pubId = pub.publish("com.example.news", List.of("hello", 42), Map.of("k", true),
                PublishOptions.defaults()).join();
        Event e = next(events);
        assertThat(e.args()).containsExactly("hello", 42);
        assertThat(e.kwargs()).containsEntry("k", true);
        assertThat(e.topic()).isEqualTo("com.example.news");
        assertThat(e.subscriptionId()).isEqualTo(s.id());
        assertThat(e.publicationId()).isEqualTo(pubId);
        assertThat(e.publisher()).isEmpty();
    }

    @Test
    void prefixAndWildcardMatchWampRulesAndEachSubscriptionGetsTheEventOnce()
            throws Exception {
        RouterClient sub = f.client();
        RouterClient pub = f.client();
        BlockingQueue<String> got = queue();
        sub.subscribe("com.a.", Match.PREFIX, e -> got.add("prefix:" + e.topic())).join();
        sub.subscribe("com..c", Match.WILDCARD, e -> got.add("wild:" + e.topic())).join();
        sub.subscribe("com.a.c", e -> got.add("exact:" + e.topic())).join();
        pub.publish("com.a.c").join();
        assertThat(List.of(next(got), next(got), next(got)))
                .containsExactlyInAnyOrder("prefix:com.a.c", "wild:com.a.c", "exact:com.a.c");
        pub.publish("com.b.c").join();   // wildcard only
        assertThat(next(got)).isEqualTo("wild:com.b.c");
        pub.publish("com.a.c.d").join(); // prefix only: the wildcard needs three components
        assertThat(next(got)).isEqualTo("prefix:com.a.c.d");
        pub.publish("com.ab").join();    // neither: "com.a." is not a prefix of "com.ab"
        pub.publish("com.x.c").join();
        assertThat(next(got)).isEqualTo("wild:com.x.c");
        assertThat(got).isEmpty();
    }

    @Test
    void twoClientsOnOneSubscriptionShareItsId() {
        RouterClient a = f.client();
        RouterClient b = f.client();
        long ida = a.subscribe("t.shared", e -> { }).join().id();
        long idb = b.subscribe("t.shared", e -> { }).join().id();
        assertThat(ida).isEqualTo(idb);
    }

    @Test
    void publisherIsExcludedByDefaultAndIncludedWhenAsked() throws Exception {
        RouterClient c = f.client();
        BlockingQueue<Event> events = queue();
        c.subscribe("t.self", events::add).join();
        c.publish("t.self", "excluded").join();
        c.publish("t.self", List.of("included"), Map.of(),
                PublishOptions.defaults().excludeMe(false)).join();
        assertThat(next(events).args()).containsExactly("included");
        assertThat(events).isEmpty();
    }

    @Test
    void excludeAndEligibleSelectSessionsById() throws Exception {
        RouterClient a = f.client();
        RouterClient b = f.client();
        RouterClient pub = f.client();
        BlockingQueue<String> got = queue();
        a.subscribe("t.sel", e -> got.add("a:" + e.arg(0))).join();
        b.subscribe("t.sel", e -> got.add("b:" + e.arg(0))).join();
        pub.publish("t.sel", List.of(1), Map.of(),
                PublishOptions.defaults().exclude(a.sessionId())).join();
        assertThat(next(got)).isEqualTo("b:1");
        pub.publish("t.sel", List.of(2), Map.of(),
                PublishOptions.defaults().eligible(a.sessionId())).join();
        assertThat(next(got)).isEqualTo("a:2");
        assertThat(got).isEmpty();
    }

    @Test
    void publisherIsDisclosedOnlyWhenItAsks() throws Exception {
        RouterClient sub = f.client();
        RouterClient pub = f.client();
        BlockingQueue<Event> events = queue();
        sub.subscribe("t.who", events::add).join();
        pub.publish("t.who").join();
        assertThat(next(events).publisher()).isEmpty();
        pub.publish("t.who", List.of(), Map.of(), PublishOptions.defaults().discloseMe(true))
                .join();
        assertThat(next(events).publisher()).hasValue(pub.sessionId());
    }

    @Test
    void acknowledgedPublishReportsInvalidUris() {
        RouterClient pub = f.client();
        assertThatThrownBy(() -> pub.publish("bad uri here").join())
                .isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(WampError.class)
                .extracting(e -> ((WampError) e).uri()).isEqualTo("wamp.error.invalid_uri");
        assertThatThrownBy(() -> pub.publish("wamp.session.on_join").join())
                .cause().isInstanceOf(WampError.class);
        assertThat(pub.publish("t.ok", List.of(), Map.of(),
                PublishOptions.defaults().acknowledge(false)).join()).isNull();
    }

    @Test
    void unsubscribeStopsEventsAndDisconnectRemovesSubscriptions() throws Exception {
        RouterClient sub = f.client();
        RouterClient pub = f.client();
        BlockingQueue<Object> events = queue();
        Subscription s = sub.subscribe("t.u", e -> events.add(e.arg(0))).join();
        BlockingQueue<Object> other = queue();
        sub.subscribe("t.v", e -> other.add(e.arg(0))).join();
        s.unsubscribe().join();
        pub.publish("t.u", 1).join();
        pub.publish("t.v", 2).join();
        assertThat(next(other)).isEqualTo(2);
        assertThat(events).isEmpty();
        assertThatThrownBy(() -> s.unsubscribe().join()).cause().isInstanceOf(WampError.class)
                .extracting(e -> ((WampError) e).uri())
                .isEqualTo("wamp.error.no_such_subscription");
        long id = sub.sessionId();
        sub.close();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !f.router.sessionIds("realm1").contains(id));
    }
}
