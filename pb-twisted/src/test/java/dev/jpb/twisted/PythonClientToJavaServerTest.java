package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A real Twisted PBClientFactory (pb_client.py) calling a jpb TwistedPbServer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PythonClientToJavaServerTest {
    private TwistedPbServer server;
    private PythonPeer python;
    private final AtomicReference<Object> last = new AtomicReference<>();

    /** What the Python client calls. */
    public final class TestRoot extends Root {
        public Object remote_echo(Object value) {
            return value;
        }

        public int remote_add(int a, int b) {
            return a + b;
        }

        public Map<String, Object> remote_kinds() {
            return Map.of("int", 1, "str", "s", "list", List.of(true), "big",
                    java.math.BigInteger.TWO.pow(80), "float", 0.5);
        }

        public Point remote_move(Point p) {
            return new Point(p.x() * 10, p.y() * 10);
        }

        public String remote_notify(RemoteReference listener, String text) {
            return listener.<String>callRemote("ping", text).join();
        }

        public Counter remote_counter() {
            return counter;
        }

        public boolean remote_same(Object o) {
            return o == counter;
        }

        public String remote_fail(String kind) {
            if (kind.equals("pberror")) {
                throw new NameTaken("bob is taken");
            }
            throw new IllegalStateException("state is bad");
        }

        public String remote_greet(String name, Map<String, Object> kw) {
            return "hello " + name + kw.getOrDefault("punctuation", ".");
        }

        public void remote_oneway(String value) {
            last.set(value);
        }

        public Object remote_last() {
            return last.get();
        }

        public int remote_exports() {
            return TwistedPb.currentConnection().exportedObjectCount();
        }
    }

    /** A referenceable counter. */
    public static final class Counter extends Referenceable {
        private int n;

        public synchronized int remote_increment() {
            return ++n;
        }
    }

    private final Counter counter = new Counter();

    @BeforeEach
    void start() {
        server = TwistedPbServer.builder().root(new TestRoot()).bind("127.0.0.1", 0)
                .registerCopy("shared.Point", Point.class)
                .registerError("shared.NameTaken", NameTaken.class)
                .build().start();
    }

    @AfterEach
    void stop() {
        if (python != null) {
            python.close();
        }
        server.close();
    }

    @Test
    void aTwistedClientUsesEveryFeature() throws Exception {
        python = PythonPeer.start("pb_client.py", String.valueOf(server.port()));
        List<String> echoes = new java.util.ArrayList<>();
        for (int i = 0; i < 14; i++) {
            echoes.add(python.expect("ECHO ", 20));
        }
        assertThat(echoes).containsExactly(
                "None None", "True True", "False False", "7 7", "-3 -3",
                "1099511627776 1099511627776",
                "1267650600228229401496703205376 1267650600228229401496703205376",
                "1.25 1.25", "'héllo' 'héllo'", "b'\\x00\\xff' b'\\x00\\xff'",
                "[1, 'a'] [1, 'a']", "(2, 3) [2, 3]", "{'k': [1, 2]} {'k': [1, 2]}", "{} {}");
        assertThat(python.expect("KINDS ", 10)).isEqualTo("[('big', 1208925819614629174706176),"
                + " ('float', 0.5), ('int', 1), ('list', [True]), ('str', 's')]");
        assertThat(python.expect("ADD ", 10)).isEqualTo("42");
        assertThat(python.expect("MOVE ", 10)).isEqualTo("Point 30 40");
        assertThat(python.expect("PINGED ", 10)).isEqualTo("'hey'");
        assertThat(python.expect("PING ", 10)).isEqualTo("HEY");
        assertThat(python.expect("COUNT ", 10)).isEqualTo("1 2");
        assertThat(python.expect("SAME ", 10)).isEqualTo("True");
        // Python dropped its proxy of the counter: its decref emptied jpb's export table.
        assertThat(python.expect("EXPORTS ", 10)).isEqualTo("2 1");
        assertThat(python.expect("FAIL ", 10))
                .isEqualTo("state java.lang.IllegalStateException state is bad");
        assertThat(python.expect("FAIL ", 10)).isEqualTo("pberror shared.NameTaken bob is taken");
        assertThat(python.expect("FAIL ", 10))
                .startsWith("nosuch dev.jpb.NoSuchRemoteMethodException");
        assertThat(python.expect("SECRET ", 10))
                .isEqualTo("dev.jpb.ForbiddenTypeException True");
        assertThat(python.expect("KW ", 10)).isEqualTo("hello ann!");
        assertThat(python.expect("KWREFUSED ", 10))
                .isEqualTo("dev.jpb.BadArgumentException True");
        assertThat(python.expect("LAST ", 10)).isEqualTo("fire");
        assertThat(python.expect("DONE", 10)).isEmpty();
        assertThat(python.waitFor(20)).isZero();
        // The Python client went away: its connection and tables are dropped.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connections().isEmpty());
    }
}
