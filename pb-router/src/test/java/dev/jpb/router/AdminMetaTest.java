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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin meta procedures: session kill, remove_subscriber, remove_callee. */
@Timeout(90)
class AdminMetaTest {

    @Test
    void withoutAdminRolesTheProceduresAreRefused() {
        try (JpbRouterFixture f = new JpbRouterFixture()) {
            RouterClient a = f.client();
            RouterClient b = f.client();
            for (String p : List.of("wamp.session.kill", "wamp.session.kill_by_authrole",
                    "wamp.subscription.remove_subscriber", "wamp.registration.remove_callee")) {
                assertThatThrownBy(() -> a.call(p, b.sessionId(), b.sessionId()).join())
                        .isInstanceOf(CompletionException.class).cause()
                        .isInstanceOf(WampError.class)
                        .hasMessageContaining("adminRoles")
                        .extracting(e -> ((WampError) e).uri())
                        .isEqualTo("wamp.error.not_authorized");
            }
            assertThat(f.router.sessionIds("realm1")).contains(b.sessionId());
        }
    }

    @Test
    void anAdminRemovesSubscribersAndCalleesAndKillsSessions() throws Exception {
        Router router = Router.builder().adminRoles("anonymous").build();
        try (JpbRouterFixture f = new JpbRouterFixture(router)) {
            RouterClient admin = f.client();
            RouterClient o = f.client();
            BlockingQueue<Event> events = queue();
            Subscription s = o.subscribe("com.admin.t", events::add).join();
            admin.publish("com.admin.t", 1).join();
            assertThat(next(events).args()).containsExactly(1);
            admin.call("wamp.subscription.remove_subscriber", s.id(), o.sessionId()).join();
            assertThat(admin.call("wamp.subscription.lookup", "com.admin.t").join().single())
                    .isNull();
            admin.publish("com.admin.t", 2).join();
            assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();

            Registration r = o.register("com.admin.p", inv -> "here").join();
            assertThat(admin.call("com.admin.p").join().single()).isEqualTo("here");
            admin.call("wamp.registration.remove_callee", r.id(), o.sessionId()).join();
            assertThatThrownBy(() -> admin.call("com.admin.p").join()).cause()
                    .extracting(e -> ((WampError) e).uri())
                    .isEqualTo("wamp.error.no_such_procedure");

            assertThatThrownBy(() -> admin.call("wamp.session.kill", admin.sessionId()).join())
                    .cause().extracting(e -> ((WampError) e).uri())
                    .isEqualTo("wamp.error.no_such_session");
            admin.call("wamp.session.kill", List.of(o.sessionId()),
                    Map.of("reason", "com.example.bye"), CallOptions.defaults()).join();
            assertThat(f.router.sessionIds("realm1")).containsExactly(admin.sessionId());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> o.call("wamp.session.count").join())
                            .isInstanceOf(CompletionException.class));
        }
    }

    @Test
    void autobahnAdminRemovesAndKills() throws Exception {
        Router router = Router.builder().adminRoles("anonymous").build();
        RouterEndpoint ep = RouterEndpoint.builder(router).bind("127.0.0.1", 0).build().start();
        try (RouterClient jpb = RouterClient.connect("127.0.0.1", ep.pbPort(), "realm1")
                .orTimeout(10, TimeUnit.SECONDS).join()) {
            NodeScripts.run("admin.js", String.valueOf(ep.port()), "json",
                    String.valueOf(jpb.sessionId()));
            assertThat(router.sessionIds("realm1")).doesNotContain(jpb.sessionId());
        } finally {
            ep.close();
            router.close();
        }
    }
}
