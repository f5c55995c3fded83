package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.ForbiddenTypeException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A jpb client calling a real Twisted PBServerFactory (pb_server.py). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JavaClientToPythonServerTest {
    private PythonPeer python;
    private TwistedPbClient client;
    private RemoteReference root;

    /** A Java object the Python server calls back. */
    public static final class Greeter extends Referenceable {
        public String remote_hello(String name) {
            return "hi " + name + " from java";
        }

        public void remote_explode() {
            throw new IllegalStateException("java exploded");
        }
    }

    @BeforeEach
    void start() throws Exception {
        python = PythonPeer.start("pb_server.py");
        int port = python.port();
        client = TwistedPbClient.builder()
                .registerCopy("shared.Point", Point.class)
                .registerError("shared.NameTaken", NameTaken.class)
                .connect("127.0.0.1", port);
        root = client.getRootObject().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.close();
            client.connection().closeFuture().get(5, TimeUnit.SECONDS);
            assertThat(client.connection().isOpen()).isFalse();
            assertThat(client.connection().importedReferenceCount()).isZero();
            assertThat(client.connection().exportedObjectCount()).isZero();
        }
        python.close();
    }

    private <T> T call(String name, Object... args) {
        return root.<T>callRemote(name, args).orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void everyValueKindGoesThereAndBack() {
        assertThat((Integer) call("add", 2, 3)).isEqualTo(5);
        List<Object> values = new ArrayList<>();
        values.add(null);
        values.addAll(List.of(true, false, 42, -7, 1L << 40, BigInteger.TWO.pow(100), 2.5,
                "h\u00e9llo", List.of(1, "two"), Map.of("k", List.of(1))));
        for (Object v : values) {
            assertThat((Object) call("echo", v)).as(String.valueOf(v)).isEqualTo(v);
        }
        assertThat((byte[]) call("echo", (Object) new byte[] {0, (byte) 0xff}))
                .containsExactly(0, 0xff);
        assertThat((String) call("types", "s")).isEqualTo("str");
        assertThat((String) call("types", (Object) new byte[] {1})).isEqualTo("bytes");
        assertThat((String) call("types", 1L << 40)).isEqualTo("int");
        assertThat((String) call("types", true)).isEqualTo("bool");
        assertThat((String) call("types", List.of())).isEqualTo("list");
    }

    @Test
    void pythonValuesArriveAsTheirJavaTypes() {
        Map<String, Object> kinds = call("kinds");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("none", null);
        expected.put("true", true);
        expected.put("false", false);
        expected.put("int", 42);
        expected.put("neg", -7);
        expected.put("long", 1L << 40);
        expected.put("big", BigInteger.TWO.pow(100));
        expected.put("float", 2.5);
        expected.put("str", "h\u00e9llo");
        expected.put("list", List.of(1, "two"));
        expected.put("tuple", List.of(3, 4));
        expected.put("dict", Map.of("k", List.of(1)));
        expected.put("empty", List.of());
        assertThat(kinds).containsAllEntriesOf(expected);
        assertThat((byte[]) kinds.get("bytes")).containsExactly(0, 0xff);
    }

    @Test
    void sharedAndCyclicStructuresArriveShared() {
        List<?> result = call("shared");
        assertThat(result.get(0)).isSameAs(result.get(1));
        List<?> cyclic = (List<?>) result.get(2);
        assertThat(cyclic.get(0)).isSameAs(cyclic);
        List<Object> mine = new ArrayList<>(List.of(1));
        assertThat((Boolean) call("isSame", mine, mine)).isTrue();
    }

    @Test
    void copiesCrossBothWays() {
        assertThat((Point) call("move", new Point(1, 5))).isEqualTo(new Point(2, 10));
    }

    @Test
    void anUnregisteredCopyIsRefusedAndTheConnectionKept() {
        assertThatThrownBy(() -> call("secret"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("shared.Secret");
        assertThat((Integer) call("add", 1, 1)).isEqualTo(2);
        assertThat(client.connection().isOpen()).isTrue();
    }

    @Test
    void pythonExceptionsArriveAsRemoteCallExceptions() {
        assertThatThrownBy(() -> call("fail", "value"))
                .cause().isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.remoteType()).isEqualTo("builtins.ValueError");
                    assertThat(e.remoteMessage()).isEqualTo("bad value");
                });
        assertThatThrownBy(() -> call("fail", "pberror"))
                .cause().isInstanceOf(NameTaken.class).hasMessage("alice is taken");
        assertThatThrownBy(() -> call("nosuchmethod"))
                .cause().isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(
                        e.remoteType()).isEqualTo("twisted.spread.flavors.NoSuchMethod"));
    }

    @Test
    void pythonCallsBackIntoJavaAndSeesJavaErrors() {
        Greeter greeter = new Greeter();
        assertThat((String) call("callBack", greeter, "bob")).isEqualTo("hi bob from java");
        List<Object> error = call("callBackFailing", greeter);
        assertThat(error).containsExactly("java.lang.IllegalStateException", "java exploded");
    }

    @Test
    void oneWayCallsArriveWithoutAnAnswer() throws Exception {
        root.callRemoteOnly("oneway", "fire");
        assertThat(python.expect("ONEWAY ", 10)).isEqualTo("'fire'");
        assertThat((String) call("last")).isEqualTo("fire");
    }

    @Test
    void keywordArgumentsReachPython() {
        CompletableFuture<String> f = TwistedPb.callRemote(root, "greet", Map.of("punctuation",
                "!"), "ann");
        assertThat(f.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("hello ann!");
    }

    @Test
    void releasingAProxyDecrefsOnThePythonSide() throws Exception {
        RemoteReference counter = call("counter");
        assertThat((Integer) counter.<Integer>callRemote("increment").join()).isEqualTo(1);
        assertThat(client.connection().importedReferenceCount()).isEqualTo(2);
        counter.release();
        assertThat(python.expect("DECREF ", 10)).isEqualTo("1");
        assertThat(client.connection().importedReferenceCount()).isEqualTo(1);
        assertThatThrownBy(() -> counter.callRemote("increment").join())
                .cause().isInstanceOf(dev.jpb.DeadReferenceException.class);
    }

    @Test
    void aCollectedProxyDecrefsOnThePythonSide() throws Exception {
        call("counter"); // the proxy becomes garbage at once
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            System.gc();
            return client.connection().importedReferenceCount() == 1;
        });
        assertThat(python.expect("DECREF ", 10)).isEqualTo("1");
    }

    @Test
    void aTypedProxyCallsRemoteMethods() {
        interface Calculator {
            int add(int a, int b);

            CompletableFuture<Integer> echo(int x);
        }
        Calculator calc = root.as(Calculator.class);
        assertThat(calc.add(20, 22)).isEqualTo(42);
        assertThat(calc.echo(7).join()).isEqualTo(7);
    }
}
