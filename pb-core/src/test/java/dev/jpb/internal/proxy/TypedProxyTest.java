package dev.jpb.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.PbException;
import dev.jpb.StubRemoteReference;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TypedProxyTest {
    interface Calc {
        CompletionStage<Integer> addAsync(int a, int b);

        CompletableFuture<Integer> addFuture(int a, int b);

        int add(int a, int b);

        long total();

        boolean ready();

        Long boxedTotal();

        String name();

        Object anything();

        void reset();

        default String greet(String who) {
            return "hi " + who + ", I am " + name();
        }
    }

    /** Records each call and answers it with {@link #answer}, which the test controls. */
    static final class FakeRef extends StubRemoteReference {
        record Call(String name, List<Object> args) {
        }

        final List<Call> calls = new CopyOnWriteArrayList<>();
        volatile CompletableFuture<Object> answer = new CompletableFuture<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletableFuture<T> callRemote(String name, Object... args) {
            calls.add(new Call(name, Arrays.asList(args)));
            return (CompletableFuture<T>) answer;
        }

        @Override
        public <T> T as(Class<T> iface) {
            return TypedProxies.create(this, iface);
        }

        @Override
        public String toString() {
            return "FakeRef";
        }
    }

    private final FakeRef ref = new FakeRef();
    private final Calc calc = TypedProxies.create(ref, Calc.class);
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopCaller() throws InterruptedException {
        caller.shutdownNow();
        assertThat(caller.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private void answer(Object value) {
        ref.answer.complete(value);
    }

    private void fail(Throwable t) {
        ref.answer.completeExceptionally(t);
    }

    @Test
    void asyncMethodReturnsTheCallsOwnFuture() {
        CompletionStage<Integer> stage = calc.addAsync(1, 2);
        CompletableFuture<Integer> future = calc.addFuture(3, 4);

        assertThat(stage).isSameAs(ref.answer).isNotDone();
        assertThat(future).isSameAs(ref.answer);
        assertThat(ref.calls).containsExactly(
                new FakeRef.Call("addAsync", List.of(1, 2)),
                new FakeRef.Call("addFuture", List.of(3, 4)));
    }

    @Test
    void syncMethodBlocksUntilTheAnswerArrives() throws Exception {
        CompletableFuture<Integer> result = CompletableFuture.supplyAsync(
                () -> calc.add(1, 2), caller);

        await().atMost(Duration.ofSeconds(5)).until(() -> ref.calls.size() == 1);
        assertThat(ref.calls.get(0)).isEqualTo(new FakeRef.Call("add", List.of(1, 2)));
        assertThat(result).isNotDone();

        answer(3);

        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void noArgumentMethodSendsAnEmptyArray() {
        answer("bob");

        assertThat(calc.name()).isEqualTo("bob");
        assertThat(ref.calls).containsExactly(new FakeRef.Call("name", List.of()));
    }

    @Test
    void objectReturnTypeBlocksInsteadOfReturningTheFuture() {
        answer("value");

        assertThat(calc.anything()).isEqualTo("value");
    }

    @Test
    void remotePbErrorIsThrownAsItself() {
        NoSuchRemoteMethodException error = new NoSuchRemoteMethodException("no remote_name");
        fail(error);

        assertThatThrownBy(calc::name).isSameAs(error);
    }

    @Test
    void runtimeExceptionWrappedInCompletionExceptionIsUnwrapped() {
        IllegalStateException error = new IllegalStateException("bad");
        fail(new CompletionException(error));

        assertThatThrownBy(calc::name).isSameAs(error);
    }

    @Test
    void errorIsThrownAsItself() {
        StackOverflowError error = new StackOverflowError();
        fail(error);

        assertThatThrownBy(calc::name).isSameAs(error);
    }

    @Test
    void checkedExceptionIsWrappedInPbException() {
        IOException cause = new IOException("disk");
        fail(cause);

        assertThatThrownBy(calc::name)
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("remote_name")
                .hasCause(cause);
    }

    @Test
    void voidMethodWaitsForTheAnswer() throws Exception {
        CompletableFuture<Void> result = CompletableFuture.runAsync(calc::reset, caller);

        await().atMost(Duration.ofSeconds(5)).until(() -> ref.calls.size() == 1);
        assertThat(result).isNotDone();

        answer(null);

        result.get(5, TimeUnit.SECONDS);
        assertThat(ref.calls).containsExactly(new FakeRef.Call("reset", List.of()));
    }

    @Test
    void voidMethodThrowsRemoteFailure() {
        NoSuchRemoteMethodException error = new NoSuchRemoteMethodException();
        fail(error);

        assertThatThrownBy(calc::reset).isSameAs(error);
    }

    @Test
    void primitiveReturnsAreUnboxed() {
        answer(true);
        assertThat(calc.ready()).isTrue();

        ref.answer = CompletableFuture.completedFuture(42L);
        assertThat(calc.total()).isEqualTo(42L);
    }

    @Test
    void primitiveAndBoxedReturnsWidenAsJavaWould() {
        answer(7);

        assertThat(calc.total()).isEqualTo(7L);
        assertThat(calc.boxedTotal()).isEqualTo(7L);
        assertThat(calc.add(1, 2)).isEqualTo(7);
    }

    @Test
    void narrowingOrUnrelatedAnswerIsPbException() {
        answer(7L);
        assertThatThrownBy(() -> calc.add(1, 2))
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("remote_add answered java.lang.Long")
                .hasMessageContaining("as int");

        ref.answer = CompletableFuture.completedFuture(12);
        assertThatThrownBy(calc::name)
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void nullAnswerForPrimitiveIsPbException() {
        answer(null);

        assertThatThrownBy(calc::total)
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("remote_total answered null")
                .hasMessageContaining("long");
        assertThat(calc.boxedTotal()).isNull();
    }

    @Test
    void interruptedWaitRestoresTheFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(calc::name)
                    .isExactlyInstanceOf(PbException.class)
                    .hasMessage("interrupted while waiting for remote_name");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void defaultMethodRunsLocally() {
        answer("calc");

        assertThat(calc.greet("bob")).isEqualTo("hi bob, I am calc");
        assertThat(ref.calls).containsExactly(new FakeRef.Call("name", List.of()));
    }

    @Test
    void objectMethodsAreLocal() {
        Calc other = TypedProxies.create(ref, Calc.class);

        assertThat(calc).isEqualTo(calc).isNotEqualTo(other);
        assertThat(calc.equals(null)).isFalse();
        assertThat(calc.hashCode()).isEqualTo(System.identityHashCode(calc));
        assertThat(calc.toString())
                .isEqualTo("TypedProxy[iface=" + Calc.class.getName() + ", ref=FakeRef]");
        assertThat(ref.calls).isEmpty();
    }

    @Test
    void referenceOfReturnsTheReferenceBehindTheProxy() {
        assertThat(TypedProxies.referenceOf(calc)).isSameAs(ref);
        assertThat(ref.calls).isEmpty();
    }

    @Test
    void referenceOfRejectsOtherObjectsAndForeignProxies() {
        Runnable foreign = (Runnable) Proxy.newProxyInstance(Runnable.class.getClassLoader(),
                new Class<?>[] {Runnable.class}, (p, m, a) -> {
                    throw new AssertionError("foreign handler must not run");
                });

        assertThatThrownBy(() -> TypedProxies.referenceOf(foreign))
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("not a jpb typed proxy");
        assertThatThrownBy(() -> TypedProxies.referenceOf("text"))
                .isExactlyInstanceOf(PbException.class)
                .hasMessageContaining("java.lang.String");
    }

    @Test
    void nonInterfaceIsRejected() {
        assertThatThrownBy(() -> TypedProxies.create(ref, String.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("java.lang.String is not an interface");
    }
}
