package dev.jpb.internal.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.BadArgumentException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.NonBlocking;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The dispatch table worked out once per class: the per-call path builds no strings. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DispatchTest {
    /** A target with a plain, a @NonBlocking and a keyword-taking method. */
    public static final class Adder {
        public int remote_add(int a, int b) {
            return a + b;
        }

        @NonBlocking
        public long remote_twice(long a) {
            return 2 * a;
        }

        public String remote_greet(String name, Map<String, Object> kw) {
            return kw.getOrDefault("greeting", "hello") + " " + name;
        }
    }

    private static Object call(String name, List<Object> args, Map<Object, Object> kw)
            throws Throwable {
        return Dispatch.invoke(new Adder(), name, new ArrayList<>(args), kw);
    }

    @Test
    void callsConvertArgumentsByTheCachedParameterTypes() throws Throwable {
        assertThat(call("add", List.of(20, 22), Map.of())).isEqualTo(42);
        assertThat(call("twice", List.of(21), Map.of())).isEqualTo(42L); // int widened to long
        Map<Object, Object> kw = new LinkedHashMap<>();
        kw.put("greeting", "hi");
        assertThat(call("greet", List.of("ada"), kw)).isEqualTo("hi ada");
        assertThat(call("greet", List.of("ada"), Map.of())).isEqualTo("hello ada");
    }

    @Test
    void theNonBlockingMarkIsReadFromTheTable() {
        assertThat(Dispatch.isNonBlocking(Adder.class, "twice", 1)).isTrue();
        assertThat(Dispatch.isNonBlocking(Adder.class, "add", 2)).isFalse();
        assertThat(Dispatch.isNonBlocking(Adder.class, "twice", 2)).isFalse();
        assertThat(Dispatch.isNonBlocking(Adder.class, "nosuch", 0)).isFalse();
    }

    @Test
    void errorsStillNameTheSlotAndTheMethod() {
        assertThatThrownBy(() -> call("add", List.of(1, "two"), Map.of()))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("argument 2 of " + Adder.class.getName()
                        + ".remote_add is a str but must be a int");
        assertThatThrownBy(() -> call("add", List.of(1), Map.of()))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .hasMessageContaining("taking 1 arguments");
        assertThatThrownBy(() -> call("add", List.of(1, 2), Map.of("x", 1)))
                .isInstanceOf(BadArgumentException.class)
                .hasMessageContaining(Adder.class.getName() + ".remote_add takes no keyword");
    }
}
