package dev.jpb;

import static dev.jpb.Loopback.get;
import static dev.jpb.Loopback.remoteFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.client.PbClient;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RemoteCallTest {
    public static class Calc extends Root {
        public int remote_add(int a, int b) {
            return a + b;
        }

        public long remote_widen(long a, double b) {
            return a + (long) b;
        }

        public String remote_echo(String s) {
            return s;
        }

        public void remote_nothing() {
        }

        public CompletionStage<String> remote_later(String s) {
            return CompletableFuture.supplyAsync(() -> s + "!");
        }

        public String remote_whoami() {
            return "connection " + CallContext.current().connection().id();
        }

        public void remote_fail(String message) {
            throw new IllegalStateException(message);
        }

        public void remote_failTyped(int code) {
            throw new CodedError("bad thing", code);
        }

        public CompletionStage<String> remote_failLater() {
            return CompletableFuture.failedFuture(new CodedError("later", 7));
        }

        public String notRemote() {
            return "secret";
        }

        String remote_packagePrivate() {
            return "secret";
        }
    }

    /** A PbError subclass with a field of its own. */
    public static class CodedError extends PbError {
        private static final long serialVersionUID = 1L;
        int code;

        public CodedError() {
        }

        CodedError(String message, int code) {
            super(message);
            this.code = code;
        }
    }

    public interface CalcApi {
        int add(int a, int b);

        CompletableFuture<String> later(String s);

        String echo(String s);
    }

    @Test
    void callsRootMethodsWithBoxingAndWidening() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThat(get(root.<Integer>callRemote("add", 2, 3))).isEqualTo(5);
            assertThat(get(root.<Long>callRemote("widen", 2, 3.5f))).isEqualTo(5L);
            assertThat(get(root.<Long>callRemote("widen", (short) 1, 2))).isEqualTo(3L);
            assertThat(get(root.<String>callRemote("echo", "héllo ✓"))).isEqualTo("héllo ✓");
            assertThat(get(root.<String>callRemote("echo", (Object) null))).isNull();
            assertThat(get(root.<Object>callRemote("nothing"))).isNull();
        }
    }

    @Test
    void completionStageIsAnsweredWhenItCompletes() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThat(get(root.<String>callRemote("later", "x"))).isEqualTo("x!");
        }
    }

    @Test
    void callContextNamesTheCallingConnection() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            PbClient a = lo.client();
            PbClient b = lo.client();
            String fromA = get(get(a.getRootObject()).<String>callRemote("whoami"));
            String fromB = get(get(b.getRootObject()).<String>callRemote("whoami"));
            assertThat(fromA).isNotEqualTo(fromB).startsWith("connection ");
            assertThatThrownBy(CallContext::current).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void perConnectionRootsComeFromRootObject() throws Exception {
        class Session extends Referenceable {
            final long connectionId;

            Session(long connectionId) {
                this.connectionId = connectionId;
            }

            public long remote_id() {
                return connectionId;
            }
        }
        Root root = new Root() {
            @Override
            public Referenceable rootObject(Connection connection) {
                return new Session(connection.id());
            }
        };
        try (Loopback lo = Loopback.local(root)) {
            PbClient a = lo.client();
            PbClient b = lo.client();
            long idA = get(get(a.getRootObject()).<Long>callRemote("id"));
            long idB = get(get(b.getRootObject()).<Long>callRemote("id"));
            assertThat(idA).isNotEqualTo(idB);
            // asking twice gives the same proxy
            assertThat(get(a.getRootObject())).isSameAs(get(a.getRootObject()));
        }
    }

    @Test
    void ordinaryExceptionsArriveAsRemoteCallExceptionWithoutTrace() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            RemoteCallException e = remoteFailure(root.callRemote("fail", "boom"));
            assertThat(e.remoteType()).isEqualTo("java.lang.IllegalStateException");
            assertThat(e.remoteMessage()).isEqualTo("boom");
            assertThat(e.remoteStackTrace()).isNull();
        }
    }

    @Test
    void tracesAreSentOnlyWhenTheCalleeAllowsIt() throws Exception {
        try (Loopback lo = Loopback.local(new Calc(), b -> b.sendStackTraces(true))) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThat(remoteFailure(root.callRemote("fail", "boom")).remoteStackTrace())
                    .contains("remote_fail");
        }
    }

    @Test
    void pbErrorSubclassesCrossAsThemselvesWithTheirFields() throws Exception {
        try (Loopback lo = Loopback.local(new Calc(), CodedError.class)) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThatThrownBy(() -> get(root.callRemote("failTyped", 42)))
                    .cause().isInstanceOfSatisfying(CodedError.class, e -> {
                        assertThat(e.getMessage()).isEqualTo("bad thing");
                        assertThat(e.code).isEqualTo(42);
                    });
            assertThatThrownBy(() -> get(root.callRemote("failLater")))
                    .cause().isInstanceOfSatisfying(CodedError.class,
                            e -> assertThat(e.code).isEqualTo(7));
        }
    }

    @Test
    void unknownPbErrorSubclassArrivesAsRemoteCallException() throws Exception {
        try (Loopback lo = Loopback.local(new Calc(), CodedError.class)) {
            PbClient plain = lo.client(b -> PbClient.builder()); // registers nothing
            RemoteReference root = get(plain.getRootObject());
            RemoteCallException e = remoteFailure(root.callRemote("failTyped", 42));
            assertThat(e.remoteType()).isEqualTo(CodedError.class.getName());
            assertThat(e.remoteMessage()).isEqualTo("bad thing");
        }
    }

    @Test
    void onlyPublicRemoteMethodsWithTheRightArityAreCallable() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            for (Object[] call : new Object[][] {
                    {"missing", new Object[0]}, {"add", new Object[] {1}},
                    {"notRemote", new Object[0]}, {"packagePrivate", new Object[0]},
                    {"toString", new Object[0]}, {"hashCode", new Object[0]},
                    {"getClass", new Object[0]}, {"wait", new Object[0]}}) {
                assertThatThrownBy(() -> get(root.callRemote((String) call[0], (Object[]) call[1])))
                        .as("%s", call[0])
                        .cause().isInstanceOf(NoSuchRemoteMethodException.class);
            }
            // the connection is still fine
            assertThat(get(root.<Integer>callRemote("add", 1, 1))).isEqualTo(2);
        }
    }

    @Test
    void wrongArgumentTypesAreABadArgumentError() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThatThrownBy(() -> get(root.callRemote("add", "one", 2)))
                    .cause().isInstanceOf(BadArgumentException.class)
                    .hasMessageContaining("remote_add");
            assertThatThrownBy(() -> get(root.callRemote("add", null, 2)))
                    .cause().isInstanceOf(BadArgumentException.class);
        }
    }

    @Test
    void typedProxiesCallRemoteMethods() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            CalcApi calc = get(lo.client().getRootObject()).as(CalcApi.class);
            assertThat(calc.add(20, 22)).isEqualTo(42);
            assertThat(calc.echo("x")).isEqualTo("x");
            assertThat(get(calc.later("y"))).isEqualTo("y!");
        }
    }

    @Test
    void callRemoteNeverThrows() throws Exception {
        try (Loopback lo = Loopback.local(new Calc())) {
            RemoteReference root = get(lo.client().getRootObject());
            CompletableFuture<Object> f = root.callRemote(null);
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class);
            CompletableFuture<Object> g = root.callRemote("echo", new Object()); // not copyable
            assertThatThrownBy(() -> get(g)).cause().isInstanceOf(ForbiddenTypeException.class)
                    .hasMessageContaining("java.lang.Object")
                    .hasMessageContaining("Copyable").hasMessageContaining("Referenceable");
        }
    }
}
