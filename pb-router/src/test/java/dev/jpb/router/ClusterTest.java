package dev.jpb.router;

import static dev.jpb.router.JpbRouterFixture.next;
import static dev.jpb.router.JpbRouterFixture.queue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Three router nodes in this JVM on one real nats-server: pub/sub, routed calls and meta
 * across nodes, and a WAMP client on one node with a jpb client on another.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    private NatsServerProcess nats;
    private final List<Router> routers = new ArrayList<>();
    private final List<RouterEndpoint> endpoints = new ArrayList<>();
    private final List<RouterClient> clients = new ArrayList<>();
    private RouterClient a;
    private RouterClient b;
    private RouterClient c;

    @BeforeAll
    void startCluster() throws Exception {
        nats = NatsServerProcess.start();
        String name = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        for (int i = 0; i < 3; i++) {
            Router r = node(nats.url(), name);
            routers.add(r);
            endpoints.add(RouterEndpoint.builder(r).bind("127.0.0.1", 0).build().start());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> routers.stream()
                .allMatch(r -> r.clusterNodes().size() == 3));
        a = client(0);
        b = client(1);
        c = client(2);
        await().atMost(Duration.ofSeconds(20)).until(() -> routers.stream()
                .allMatch(r -> r.sessionIds("realm1").size() == 3));
    }

    static Router node(String natsUrl, String clusterName) {
        return Router.builder().nats(natsUrl).clusterName(clusterName).adminRoles("anonymous")
                .heartbeat(Duration.ofMillis(200)).nodeTimeout(Duration.ofSeconds(3)).build();
    }

    RouterClient client(int node) {
        RouterClient rc = RouterClient.connect("127.0.0.1", endpoints.get(node).pbPort(),
                "realm1").orTimeout(10, TimeUnit.SECONDS).join();
        clients.add(rc);
        return rc;
    }

    @AfterAll
    void stopCluster() throws Exception {
        clients.forEach(RouterClient::close);
        endpoints.forEach(RouterEndpoint::close);
        routers.forEach(Router::close);
        if (nats != null) {
            nats.close();
        }
    }

    /** How many callees a call of this procedure from that client's node would choose from. */
    static int callees(RouterClient from, String procedure) {
        Object id = from.call("wamp.registration.match", procedure)
                .orTimeout(10, TimeUnit.SECONDS).join().single();
        if (id == null) {
            return 0;
        }
        return ((Number) from.call("wamp.registration.count_callees", id)
                .orTimeout(10, TimeUnit.SECONDS).join().single()).intValue();
    }

    static void awaitCallees(String procedure, int n, RouterClient... from) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (RouterClient f : from) {
                assertThat(callees(f, procedure)).as("callees of %s", procedure).isEqualTo(n);
            }
        });
    }

    @Test
    void eventsCrossNodesWithEveryMatchPolicyOncePerSubscription() throws Exception {
        BlockingQueue<String> onB = queue();
        BlockingQueue<String> onC = queue();
        for (RouterClient sub : List.of(b, c)) {
            BlockingQueue<String> q = sub == b ? onB : onC;
            sub.subscribe("cl.ps.exact", e -> q.add("exact:" + e.arg(0))).join();
            sub.subscribe("cl.ps.pre.", Match.PREFIX, e -> q.add("prefix:" + e.arg(0))).join();
            sub.subscribe("cl.ps..wild", Match.WILDCARD, e -> q.add("wildcard:" + e.arg(0)))
                    .join();
        }
        a.publish("cl.ps.pre.wild", "both").join();
        a.publish("cl.ps.pre.a.b", "deep").join();
        a.publish("cl.ps.x.wild", "other").join();
        for (int i = 0; i < 50; i++) {
            a.publish("cl.ps.exact", i).join();
        }
        a.publish("cl.ps.exact", "end").join();
        for (BlockingQueue<String> q : List.of(onB, onC)) {
            List<String> got = new ArrayList<>();
            while (!got.contains("exact:end")) {
                got.add(next(q));
            }
            assertThat(got.subList(0, 2)).containsExactlyInAnyOrder("prefix:both",
                    "wildcard:both");
            assertThat(got.subList(2, 4)).containsExactly("prefix:deep", "wildcard:other");
            List<String> exact = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                exact.add("exact:" + i);
            }
            exact.add("exact:end");
            assertThat(got.subList(4, got.size())).as("each event once, in order")
                    .isEqualTo(exact);
        }
    }

    @Test
    void exclusionListsAndDisclosureHoldAcrossNodes() throws Exception {
        BlockingQueue<Event> onB = queue();
        BlockingQueue<Event> onC = queue();
        b.subscribe("cl.lists", onB::add).join();
        c.subscribe("cl.lists", onC::add).join();
        a.publish("cl.lists", List.of("only-c"), Map.of(),
                PublishOptions.defaults().eligible(c.sessionId())).join();
        a.publish("cl.lists", List.of("not-c"), Map.of(),
                PublishOptions.defaults().exclude(c.sessionId())).join();
        a.publish("cl.lists", List.of("disclosed"), Map.of(),
                PublishOptions.defaults().discloseMe(true)).join();
        assertThat(next(onB).args()).containsExactly("not-c");
        Event d = next(onB);
        assertThat(d.args()).containsExactly("disclosed");
        assertThat(d.publisher()).hasValue(a.sessionId());
        assertThat(next(onC).args()).containsExactly("only-c");
        assertThat(next(onC).args()).containsExactly("disclosed");
    }

    @Test
    void sharedRegistrationsPickCalleesOnEveryNodeByPolicy() {
        for (InvokePolicy p : List.of(InvokePolicy.ROUNDROBIN, InvokePolicy.FIRST,
                InvokePolicy.LAST, InvokePolicy.RANDOM)) {
            String proc = "cl.rpc." + p.wireName();
            a.register(proc, Match.EXACT, p, inv -> "A").join();
            awaitCallees(proc, 1, b);
            b.register(proc, Match.EXACT, p, inv -> "B").join();
            awaitCallees(proc, 2, c);
            c.register(proc, Match.EXACT, p, inv -> "C").join();
            awaitCallees(proc, 3, a, b, c);
        }
        assertThat(calls(a, "cl.rpc.roundrobin", 6)).containsExactly("A", "B", "C", "A", "B",
                "C");
        assertThat(calls(c, "cl.rpc.roundrobin", 3)).containsExactly("A", "B", "C");
        assertThat(calls(c, "cl.rpc.first", 3)).containsOnly("A");
        assertThat(calls(b, "cl.rpc.first", 2)).containsOnly("A");
        assertThat(calls(a, "cl.rpc.last", 3)).containsOnly("C");
        assertThat(calls(b, "cl.rpc.last", 2)).containsOnly("C");
        assertThat(new HashSet<>(calls(b, "cl.rpc.random", 60)))
                .containsExactlyInAnyOrder("A", "B", "C");
    }

    private static List<Object> calls(RouterClient from, String proc, int n) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(from.call(proc).orTimeout(10, TimeUnit.SECONDS).join().single());
        }
        return out;
    }

    @Test
    void singleRefusesASecondRegistrationAnywhereInTheCluster() {
        a.register("cl.single", inv -> "A").join();
        awaitCallees("cl.single", 1, b, c);
        for (RouterClient other : List.of(b, c)) {
            assertThatThrownBy(() -> other.register("cl.single", inv -> "again").join())
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOf(WampError.class)
                    .extracting(e -> ((WampError) e).uri())
                    .isEqualTo("wamp.error.procedure_already_exists");
        }
        b.register("cl.shared", Match.EXACT, InvokePolicy.FIRST, inv -> "B").join();
        awaitCallees("cl.shared", 1, c);
        assertThatThrownBy(() -> c.register("cl.shared", Match.EXACT, InvokePolicy.LAST,
                inv -> "C").join()).cause().extracting(e -> ((WampError) e).uri())
                .isEqualTo("wamp.error.procedure_already_exists");
        assertThat(c.call("cl.single").join().single()).isEqualTo("A");
        assertThat(a.call("cl.shared").join().single()).isEqualTo("B");
    }

    @Test
    void concurrentSingleRegistrationsOnTwoNodesSettleOnOneCallee() {
        for (int round = 0; round < 5; round++) {
            String proc = "cl.race." + round;
            CompletableFuture<Registration> onA = a.register(proc, inv -> "A");
            CompletableFuture<Registration> onB = b.register(proc, inv -> "B");
            CompletableFuture.allOf(onA, onB).handle((v, e) -> null).join();
            assertThat(onA.isCompletedExceptionally() && onB.isCompletedExceptionally())
                    .as("at least one of them registered").isFalse();
            // both may have succeeded within one NATS hop: then the younger is removed
            awaitCallees(proc, 1, a, b, c);
            Object fromA = a.call(proc).orTimeout(10, TimeUnit.SECONDS).join().single();
            assertThat(b.call(proc).orTimeout(10, TimeUnit.SECONDS).join().single())
                    .isEqualTo(fromA);
            assertThat(c.call(proc).orTimeout(10, TimeUnit.SECONDS).join().single())
                    .isEqualTo(fromA);
        }
    }

    @Test
    void timeoutsCancelsAndALeavingCallerInterruptCalleesOnAnotherNode() throws Exception {
        Map<String, CompletableFuture<CancelMode>> interrupted = new ConcurrentHashMap<>();
        Map<String, CompletableFuture<Void>> started = new ConcurrentHashMap<>();
        b.register("cl.forever", inv -> {
            String tag = (String) inv.arg(0);
            inv.interrupted().thenAccept(m -> interrupted.computeIfAbsent(tag,
                    t -> new CompletableFuture<>()).complete(m));
            started.computeIfAbsent(tag, t -> new CompletableFuture<>()).complete(null);
            return new CompletableFuture<>();
        }).join();
        awaitCallees("cl.forever", 1, a, c);

        CompletableFuture<CallResult> timed = a.call("cl.forever", List.of("timeout"), Map.of(),
                CallOptions.defaults().timeout(Duration.ofMillis(300)));
        assertThatThrownBy(() -> timed.get(10, TimeUnit.SECONDS)).cause()
                .extracting(e -> ((WampError) e).uri()).isEqualTo("wamp.error.timeout");

        CompletableFuture<CallResult> killed = a.call("cl.forever", List.of("kill"), Map.of(),
                CallOptions.defaults().cancelMode(CancelMode.KILL));
        started.computeIfAbsent("kill", t -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
        killed.cancel(true);

        RouterClient leaving = client(2);
        leaving.call("cl.forever", "left");
        started.computeIfAbsent("left", t -> new CompletableFuture<>()).get(10, TimeUnit.SECONDS);
        leaving.close();

        for (String tag : List.of("timeout", "kill", "left")) {
            assertThat(interrupted.computeIfAbsent(tag, t -> new CompletableFuture<>())
                    .get(10, TimeUnit.SECONDS)).as(tag)
                    .isEqualTo(tag.equals("kill") ? CancelMode.KILL : CancelMode.KILLNOWAIT);
        }
    }

    @Test
    void patternRegistrationsAndErrorsRouteAcrossNodes() {
        b.register("cl.pat.", Match.PREFIX, InvokePolicy.SINGLE, inv -> "short:"
                + inv.procedure()).join();
        c.register("cl.pat.longer.", Match.PREFIX, InvokePolicy.SINGLE, inv -> "long:"
                + inv.procedure()).join();
        c.register("cl..wild", Match.WILDCARD, InvokePolicy.SINGLE, inv -> "wild:"
                + inv.procedure()).join();
        b.register("cl.fails", inv -> {
            throw new WampError("cl.error.custom", List.of("why"), Map.of("k", 1));
        }).join();
        b.register("cl.who", inv -> inv.caller().orElse(-1)).join();
        awaitCallees("cl.pat.longer.x", 1, a);
        awaitCallees("cl.any.wild", 1, a);
        awaitCallees("cl.fails", 1, a);
        awaitCallees("cl.who", 1, a);
        assertThat(a.call("cl.pat.x").join().single()).isEqualTo("short:cl.pat.x");
        assertThat(a.call("cl.pat.longer.y").join().single()).isEqualTo("long:cl.pat.longer.y");
        assertThat(a.call("cl.any.wild").join().single()).isEqualTo("wild:cl.any.wild");
        assertThatThrownBy(() -> a.call("cl.fails").join()).cause()
                .isInstanceOfSatisfying(WampError.class, e -> {
                    assertThat(e.uri()).isEqualTo("cl.error.custom");
                    assertThat(e.args()).containsExactly("why");
                    assertThat(e.kwargs()).containsEntry("k", 1);
                });
        assertThat(a.call("cl.who", List.of(), Map.of(), CallOptions.defaults().discloseMe(true))
                .join().single()).isEqualTo(a.sessionId());
    }

    @Test
    void sessionMetaSeesEveryNode() throws Exception {
        List<Long> ids = List.of(a.sessionId(), b.sessionId(), c.sessionId());
        for (RouterClient from : List.of(a, b, c)) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) from.call("wamp.session.list").join().single();
            assertThat(list).containsAll(ids);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) a.call("wamp.session.get", c.sessionId())
                .join().single();
        assertThat(d).containsEntry("session", c.sessionId())
                .containsEntry("node", routers.get(2).clusterNodes().iterator().next());
        BlockingQueue<Event> joins = queue();
        a.subscribe("wamp.session.on_join", joins::add).join();
        RouterClient late = client(2);
        Event e = next(joins);
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) e.arg(0);
        assertThat(details).containsEntry("session", late.sessionId());

        // every node raises a subscription's meta events itself, once, with the same id
        BlockingQueue<Event> created = queue();
        a.subscribe("wamp.subscription.on_create", created::add).join();
        Subscription s = c.subscribe("cl.meta.only.on.c", x -> { }).join();
        Event onCreate = next(created);
        assertThat(onCreate.arg(0)).isEqualTo(c.sessionId());
        @SuppressWarnings("unchecked")
        Map<String, Object> sub = (Map<String, Object>) onCreate.arg(1);
        assertThat(sub).containsEntry("uri", "cl.meta.only.on.c");
        assertThat(((Number) sub.get("id")).longValue()).isEqualTo(s.id());
        assertThat(a.call("wamp.subscription.lookup", "cl.meta.only.on.c").join().single())
                .isEqualTo(s.id());
        a.publish("cl.meta.marker", 1).join();
        assertThat(created.poll(300, TimeUnit.MILLISECONDS)).as("on_create arrives once")
                .isNull();
    }

    static Object meta(RouterClient from, String procedure, Object... args) {
        return from.call(procedure, args).orTimeout(10, TimeUnit.SECONDS).join().single();
    }

    @Test
    void subscriptionAndRegistrationIdsAndMetaAreTheSameOnEveryNode() throws Exception {
        BlockingQueue<Event> deleted = queue();
        a.subscribe("wamp.subscription.on_delete", deleted::add).join();
        Subscription sb = b.subscribe("cl.ids.t", x -> { }).join();
        Subscription sc = c.subscribe("cl.ids.t", x -> { }).join();
        Subscription pa = a.subscribe("cl.ids.", Match.PREFIX, x -> { }).join();
        assertThat(sc.id()).as("one subscription, one id, on every node").isEqualTo(sb.id());
        Registration rb = b.register("cl.ids.p", Match.EXACT, InvokePolicy.ROUNDROBIN,
                inv -> "b").join();
        Registration rc = c.register("cl.ids.p", Match.EXACT, InvokePolicy.ROUNDROBIN,
                inv -> "c").join();
        assertThat(rc.id()).isEqualTo(rb.id());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (RouterClient from : List.of(a, b, c)) {
                assertThat(meta(from, "wamp.subscription.lookup", "cl.ids.t"))
                        .isEqualTo(sb.id());
                assertThat(meta(from, "wamp.subscription.list_subscribers", sb.id()))
                        .asList().containsExactlyInAnyOrder(b.sessionId(), c.sessionId());
                assertThat(meta(from, "wamp.subscription.count_subscribers", sb.id()))
                        .isEqualTo(2);
                assertThat(meta(from, "wamp.subscription.match", "cl.ids.t")).asList()
                        .containsExactlyInAnyOrder(sb.id(), pa.id());
                assertThat(meta(from, "wamp.subscription.list_subscribers", pa.id()))
                        .asList().containsExactly(a.sessionId());
                @SuppressWarnings("unchecked")
                Map<String, Object> d = (Map<String, Object>) meta(from,
                        "wamp.subscription.get", pa.id());
                assertThat(d).containsEntry("uri", "cl.ids.").containsEntry("match", "prefix");
                @SuppressWarnings("unchecked")
                Map<String, Object> list = (Map<String, Object>) meta(from,
                        "wamp.subscription.list");
                assertThat(list.get("exact")).asList().contains(sb.id());
                assertThat(list.get("prefix")).asList().contains(pa.id());
                assertThat(meta(from, "wamp.registration.lookup", "cl.ids.p"))
                        .isEqualTo(rb.id());
                assertThat(meta(from, "wamp.registration.list_callees", rb.id())).asList()
                        .containsExactlyInAnyOrder(b.sessionId(), c.sessionId());
            }
        });
        sb.unsubscribe().join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (RouterClient from : List.of(a, b, c)) {
                assertThat(meta(from, "wamp.subscription.list_subscribers", sc.id()))
                        .asList().containsExactly(c.sessionId());
            }
        });
        sc.unsubscribe().join();
        Event onDelete = next(deleted);
        assertThat(onDelete.arg(0)).as("raised on a for c's session").isEqualTo(c.sessionId());
        assertThat(((Number) onDelete.arg(1)).longValue()).isEqualTo(sc.id());
        pa.unsubscribe().join();
        rb.unregister().join();
        rc.unregister().join();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (RouterClient from : List.of(a, b, c)) {
                assertThat(meta(from, "wamp.subscription.lookup", "cl.ids.t")).isNull();
                assertThat(meta(from, "wamp.registration.lookup", "cl.ids.p")).isNull();
            }
        });
    }

    @Test
    void anAdminOnOneNodeRemovesSubscribersCalleesAndSessionsOfAnother() throws Exception {
        BlockingQueue<Event> onC = queue();
        Subscription s = c.subscribe("cl.admin.t", onC::add).join();
        Registration r = c.register("cl.admin.p", inv -> "c").join();
        RouterClient victim = client(2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(meta(a, "wamp.subscription.list_subscribers", s.id())).asList()
                    .containsExactly(c.sessionId());
            assertThat(meta(a, "wamp.session.list")).asList().contains(victim.sessionId());
        });
        awaitCallees("cl.admin.p", 1, a);
        assertThatThrownBy(() -> meta(a, "wamp.subscription.remove_subscriber", s.id(),
                b.sessionId())).cause().extracting(e -> ((WampError) e).uri())
                .isEqualTo("wamp.error.no_such_session");

        a.call("wamp.subscription.remove_subscriber", s.id(), c.sessionId())
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(meta(a, "wamp.subscription.lookup", "cl.admin.t"))
                .as("the admin's node saw the removal before its answer").isNull();
        assertThat(meta(c, "wamp.subscription.lookup", "cl.admin.t")).isNull();
        a.publish("cl.admin.t", "gone").join();
        c.publish("cl.admin.t", List.of("gone"), Map.of(),
                PublishOptions.defaults().excludeMe(false)).join();
        assertThat(onC.poll(300, TimeUnit.MILLISECONDS)).isNull();

        assertThat(a.call("cl.admin.p").join().single()).isEqualTo("c");
        a.call("wamp.registration.remove_callee", r.id(), c.sessionId())
                .orTimeout(10, TimeUnit.SECONDS).join();
        for (RouterClient from : List.of(a, c)) {
            assertThatThrownBy(() -> from.call("cl.admin.p").join()).cause()
                    .extracting(e -> ((WampError) e).uri())
                    .isEqualTo("wamp.error.no_such_procedure");
        }

        a.call("wamp.session.kill", List.of(victim.sessionId()),
                Map.of("reason", "com.example.bye"), CallOptions.defaults())
                .orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(meta(a, "wamp.session.list")).asList().doesNotContain(victim.sessionId());
        assertThat(routers.get(2).sessionIds("realm1")).doesNotContain(victim.sessionId());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> victim.call("wamp.session.count").join())
                        .isInstanceOf(CompletionException.class));
        assertThatThrownBy(() -> a.call("wamp.session.kill", victim.sessionId()).join())
                .cause().extracting(e -> ((WampError) e).uri())
                .isEqualTo("wamp.error.no_such_session");
    }

    @Test
    void aWampClientOnOneNodeTalksToAJpbClientOnAnother() throws Exception {
        RouterClient jpb = client(0);
        BlockingQueue<Event> fromJs = queue();
        jpb.subscribe("js.to.jpb", fromJs::add).join();
        jpb.register("jpb.publish", inv -> jpb.publish((String) inv.arg(0), inv.arg(1))
                .thenApply(id -> "published")).join();
        jpb.register("jpb.add", inv -> ((Number) inv.arg(0)).intValue()
                + ((Number) inv.arg(1)).intValue()).join();
        jpb.register("jpb.call_js", inv -> jpb.call((String) inv.arg(0), inv.arg(1))
                .thenApply(CallResult::single)).join();
        awaitCallees("jpb.publish", 1, b);
        awaitCallees("jpb.add", 1, b);
        awaitCallees("jpb.call_js", 1, b);
        String wampPort = String.valueOf(endpoints.get(1).port());
        NodeScripts.run("pubsub.js", wampPort, "msgpack");
        Event e = next(fromJs);
        assertThat(e.args()).containsExactly("hello from js");
        assertThat(e.kwargs()).containsEntry("n", 1);
        NodeScripts.run("rpc.js", wampPort, "json");
    }
}
