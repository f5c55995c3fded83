package dev.jpb.router;

import static dev.jpb.router.JpbRouterFixture.next;
import static dev.jpb.router.JpbRouterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Meta events and meta procedures from a jpb client. */
@Timeout(30)
class JpbMetaTest {
    private final JpbRouterFixture f = new JpbRouterFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sessionSubscriptionAndRegistrationEventsArrive() throws Exception {
        RouterClient watcher = f.client();
        BlockingQueue<Event> events = queue();
        watcher.subscribe("wamp.", Match.PREFIX, events::add).join();
        RouterClient other = f.client();
        Event join = next(events);
        assertThat(join.topic()).isEqualTo("wamp.session.on_join");
        assertThat(((Map<String, Object>) join.arg(0))).containsEntry("session", other.sessionId())
                .containsEntry("authrole", "anonymous");
        Subscription s = other.subscribe("com.meta.t", e -> { }).join();
        Event created = next(events);
        assertThat(created.topic()).isEqualTo("wamp.subscription.on_create");
        assertThat(created.arg(0)).isEqualTo(other.sessionId());
        assertThat((Map<String, Object>) created.arg(1)).containsEntry("uri", "com.meta.t")
                .containsEntry("match", "exact").containsEntry("id", s.id());
        assertThat(next(events).topic()).isEqualTo("wamp.subscription.on_subscribe");
        Registration r = other.register("com.meta.p", Match.EXACT, InvokePolicy.ROUNDROBIN,
                inv -> 1).join();
        Event rc = next(events);
        assertThat(rc.topic()).isEqualTo("wamp.registration.on_create");
        assertThat((Map<String, Object>) rc.arg(1)).containsEntry("invoke", "roundrobin");
        assertThat(next(events).args()).containsExactly(other.sessionId(), r.id());
        s.unsubscribe().join();
        assertThat(next(events).topic()).isEqualTo("wamp.subscription.on_unsubscribe");
        assertThat(next(events).topic()).isEqualTo("wamp.subscription.on_delete");
        other.close();
        assertThat(next(events).topic()).isEqualTo("wamp.registration.on_unregister");
        assertThat(next(events).topic()).isEqualTo("wamp.registration.on_delete");
        Event leave = next(events);
        assertThat(leave.topic()).isEqualTo("wamp.session.on_leave");
        assertThat(leave.args()).containsExactly(other.sessionId());
    }

    @Test
    @SuppressWarnings("unchecked")
    void metaProceduresDescribeTheRealm() {
        RouterClient a = f.client();
        RouterClient b = f.client();
        Subscription s = a.subscribe("com.m.", Match.PREFIX, e -> { }).join();
        Registration r = b.register("com.m.proc", inv -> 1).join();
        assertThat(a.call("wamp.session.count").join().single()).isEqualTo(2);
        assertThat((List<Object>) a.call("wamp.session.list").join().single())
                .containsExactlyInAnyOrder(a.sessionId(), b.sessionId());
        assertThat((Map<String, Object>) a.call("wamp.session.get", b.sessionId()).join()
                .single()).containsEntry("session", b.sessionId());
        assertThat((Map<String, Object>) a.call("wamp.subscription.list").join().single())
                .containsEntry("prefix", List.of(s.id()));
        assertThat(a.call("wamp.subscription.lookup", "com.m.", Map.of("match", "prefix"))
                .join().single()).isEqualTo(s.id());
        assertThat(a.call("wamp.subscription.match", "com.m.x").join().single())
                .isEqualTo(List.of(s.id()));
        assertThat(a.call("wamp.subscription.count_subscribers", s.id()).join().single())
                .isEqualTo(1);
        assertThat(a.call("wamp.subscription.list_subscribers", s.id()).join().single())
                .isEqualTo(List.of(a.sessionId()));
        assertThat(a.call("wamp.registration.match", "com.m.proc").join().single())
                .isEqualTo(r.id());
        assertThat((Map<String, Object>) a.call("wamp.registration.get", r.id()).join()
                .single()).containsEntry("uri", "com.m.proc").containsEntry("invoke", "single");
        assertThat(a.call("wamp.registration.list_callees", r.id()).join().single())
                .isEqualTo(List.of(b.sessionId()));
        assertThat(a.call("wamp.registration.count_callees", r.id()).join().single())
                .isEqualTo(1);
        assertThat(a.call("wamp.registration.lookup", "com.m.none").join().single()).isNull();
    }
}
