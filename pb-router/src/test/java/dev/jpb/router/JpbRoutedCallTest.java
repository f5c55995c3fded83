package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Routed calls between jpb clients through the router's jpb face. */
@Timeout(30)
class JpbRoutedCallTest {
    private final JpbRouterFixture f = new JpbRouterFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private static WampError wampError(CompletableFuture<?> future) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> future.get(10, TimeUnit.SECONDS));
        assertThat(t).isNotNull();
        Throwable cause = t.getCause();
        assertThat(cause).isInstanceOf(WampError.class);
        return (WampError) cause;
    }

    @Test
    void exactCallReturnsArgsAndKwargs() {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        callee.register("com.example.add", inv -> new CallResult(
                List.of((Integer) inv.arg(0) + (Integer) inv.arg(1)),
                Map.of("by", inv.kwargs().get("who")))).join();
        CallResult r = caller.call("com.example.add", List.of(2, 3), Map.of("who", "me"),
                CallOptions.defaults()).join();
        assertThat(r.single()).isEqualTo(5);
        assertThat(r.kwargs()).containsEntry("by", "me");
    }

    @Test
    void unknownProcedureIsNoSuchProcedure() {
        RouterClient caller = f.client();
        assertThat(wampError(caller.call("com.nobody.home")).uri())
                .isEqualTo("wamp.error.no_such_procedure");
        assertThat(wampError(caller.call("not a uri")).uri()).isEqualTo("wamp.error.invalid_uri");
    }

    @Test
    void applicationErrorsReachTheCallerAsThemselves() {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        callee.register("com.example.fail", inv -> {
            throw new WampError("com.example.error.too_big", List.of("limit", 10), Map.of());
        }).join();
        callee.register("com.example.npe", inv -> {
            throw new IllegalStateException("broken");
        }).join();
        WampError e = wampError(caller.call("com.example.fail"));
        assertThat(e.uri()).isEqualTo("com.example.error.too_big");
        assertThat(e.args()).containsExactly("limit", 10);
        WampError npe = wampError(caller.call("com.example.npe"));
        assertThat(npe.uri()).isEqualTo("wamp.error.runtime_error");
        assertThat(npe.args().get(0).toString()).contains("broken");
    }

    @Test
    void prefixLongestWinsThenWildcardAndExactBeatsBoth() {
        RouterClient a = f.client();
        RouterClient caller = f.client();
        a.register("com.", Match.PREFIX, InvokePolicy.SINGLE, inv -> "short:" + inv.procedure())
                .join();
        a.register("com.x.", Match.PREFIX, InvokePolicy.SINGLE, inv -> "long:" + inv.procedure())
                .join();
        a.register("org..run", Match.WILDCARD, InvokePolicy.SINGLE,
                inv -> "wild:" + inv.procedure()).join();
        a.register("com.x.exact", inv -> "exact").join();
        assertThat(caller.call("com.x.y").join().single()).isEqualTo("long:com.x.y");
        assertThat(caller.call("com.y").join().single()).isEqualTo("short:com.y");
        assertThat(caller.call("org.a.run").join().single()).isEqualTo("wild:org.a.run");
        assertThat(caller.call("com.x.exact").join().single()).isEqualTo("exact");
        assertThat(wampError(caller.call("org.a.b.run")).uri())
                .isEqualTo("wamp.error.no_such_procedure");
    }

    @Test
    void singleRegistrationRefusesASecondCallee() {
        RouterClient a = f.client();
        RouterClient b = f.client();
        a.register("com.only", inv -> 1).join();
        assertThatThrownBy(() -> b.register("com.only", inv -> 2).join())
                .cause().isInstanceOf(WampError.class)
                .extracting(e -> ((WampError) e).uri())
                .isEqualTo("wamp.error.procedure_already_exists");
        assertThatThrownBy(() -> b.register("com.only", Match.EXACT, InvokePolicy.ROUNDROBIN,
                inv -> 2).join()).cause().isInstanceOf(WampError.class);
    }

    private List<Object> sharedResults(InvokePolicy policy, int calls) {
        RouterClient a = f.client();
        RouterClient b = f.client();
        RouterClient c = f.client();
        RouterClient caller = f.client();
        a.register("com.shared", Match.EXACT, policy, inv -> "a").join();
        b.register("com.shared", Match.EXACT, policy, inv -> "b").join();
        c.register("com.shared", Match.EXACT, policy, inv -> "c").join();
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            out.add(caller.call("com.shared").join().single());
        }
        return out;
    }

    @Test
    void roundrobinTakesCalleesInTurn() {
        assertThat(sharedResults(InvokePolicy.ROUNDROBIN, 6))
                .containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void firstPicksTheOldestCallee() {
        assertThat(sharedResults(InvokePolicy.FIRST, 3)).containsOnly("a");
    }

    @Test
    void lastPicksTheNewestCallee() {
        assertThat(sharedResults(InvokePolicy.LAST, 3)).containsOnly("c");
    }

    @Test
    void randomReachesEveryCallee() {
        assertThat(sharedResults(InvokePolicy.RANDOM, 90)).contains("a", "b", "c");
    }

    @Test
    void calleeThatLeavesFailsItsPendingCallsAndIsRemoved() throws Exception {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        CountDownLatch started = new CountDownLatch(1);
        callee.register("com.slow", inv -> {
            started.countDown();
            return new CompletableFuture<>(); // never answers
        }).join();
        CompletableFuture<CallResult> pending = caller.call("com.slow");
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        callee.close();
        WampError e = wampError(pending);
        assertThat(e.uri()).isEqualTo("wamp.error.canceled");
        assertThat(e.args().get(0).toString()).contains("callee disconnected");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(wampError(caller.call("com.slow")).uri())
                        .isEqualTo("wamp.error.no_such_procedure"));
    }

    @Test
    void callerIsDisclosedOnlyWhenItAsks() {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        callee.register("com.who", inv -> inv.caller().isPresent()
                ? inv.caller().getAsLong() : -1L).join();
        assertThat(caller.call("com.who").join().single()).isEqualTo(-1L);
        assertThat(caller.call("com.who", List.of(), Map.of(),
                CallOptions.defaults().discloseMe(true)).join().single())
                .isEqualTo(caller.sessionId());
    }

    @Test
    void timeoutFailsTheCallerAndInterruptsTheCallee() throws Exception {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        CompletableFuture<CancelMode> interrupted = new CompletableFuture<>();
        callee.register("com.forever", inv -> {
            inv.interrupted().thenAccept(interrupted::complete);
            return new CompletableFuture<>();
        }).join();
        long start = System.nanoTime();
        WampError e = wampError(caller.call("com.forever", List.of(), Map.of(),
                CallOptions.defaults().timeout(Duration.ofMillis(300))));
        assertThat(e.uri()).isEqualTo("wamp.error.timeout");
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(
                TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(interrupted.get(10, TimeUnit.SECONDS)).isEqualTo(CancelMode.KILLNOWAIT);
    }

    private CompletableFuture<CancelMode> cancelWith(CancelMode mode, RouterClient caller,
            RouterClient callee, String proc) throws Exception {
        CompletableFuture<CancelMode> interrupted = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        callee.register(proc, inv -> {
            inv.interrupted().thenAccept(interrupted::complete);
            started.countDown();
            return new CompletableFuture<>();
        }).join();
        CompletableFuture<CallResult> call = caller.call(proc, List.of(), Map.of(),
                CallOptions.defaults().cancelMode(mode));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        call.cancel(true);
        return interrupted;
    }

    @Test
    void cancelKillInterruptsTheCalleeAndTheCallerGetsItsAnswer() throws Exception {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        assertThat(cancelWith(CancelMode.KILL, caller, callee, "com.k").get(10, TimeUnit.SECONDS))
                .isEqualTo(CancelMode.KILL);
        // the realm forgets the call once the callee answered the interrupt
        callee.register("com.after", inv -> "ok").join();
        assertThat(caller.call("com.after").join().single()).isEqualTo("ok");
    }

    @Test
    void cancelKillnowaitInterruptsTheCallee() throws Exception {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        assertThat(cancelWith(CancelMode.KILLNOWAIT, caller, callee, "com.kn")
                .get(10, TimeUnit.SECONDS)).isEqualTo(CancelMode.KILLNOWAIT);
    }

    @Test
    void cancelSkipLeavesTheCalleeAloneAndItsLateAnswerIsDropped() throws Exception {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        CompletableFuture<Object> answer = new CompletableFuture<>();
        CountDownLatch started = new CountDownLatch(1);
        callee.register("com.skip", inv -> {
            started.countDown();
            return answer;
        }).join();
        CompletableFuture<CallResult> call = caller.call("com.skip", List.of(), Map.of(),
                CallOptions.defaults().cancelMode(CancelMode.SKIP));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        call.cancel(true);
        answer.complete("late");
        // the same caller can still call; the late answer went nowhere
        callee.register("com.next", inv -> "next").join();
        assertThat(caller.call("com.next").join().single()).isEqualTo("next");
        assertThat(answer).isCompletedWithValue("late");
    }

    @Test
    void unregisterRemovesTheProcedure() {
        RouterClient callee = f.client();
        RouterClient caller = f.client();
        Registration r = callee.register("com.gone", inv -> 1).join();
        assertThat(caller.call("com.gone").join().single()).isEqualTo(1);
        r.unregister().join();
        assertThat(wampError(caller.call("com.gone")).uri())
                .isEqualTo("wamp.error.no_such_procedure");
        assertThatThrownBy(() -> r.unregister().join()).isInstanceOf(CompletionException.class);
    }
}
