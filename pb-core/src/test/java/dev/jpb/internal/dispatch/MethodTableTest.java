package dev.jpb.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.BadArgumentException;
import dev.jpb.NoSuchRemoteMethodException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class MethodTableTest {
    private static final String PREFIX = "remote_";

    public static class Calc {
        public int remote_add(int a, int b) {
            return a + b;
        }

        public Object remote_echo(Object o) {
            return o;
        }
    }

    public static class Overloads {
        public String remote_add(String a, String b, String c) {
            return a + b + c;
        }

        public int remote_add(int a, int b) {
            return a + b;
        }

        public String remote_add() {
            return "nothing";
        }
    }

    public static class SameArity {
        public int remote_twice(int a) {
            return 2 * a;
        }

        public String remote_twice(String s) {
            return s + s;
        }
    }

    public static class Restricted {
        public String remote_open() {
            return "open";
        }

        public String open() {
            return "not prefixed";
        }

        public static String remote_static() {
            return "static";
        }

        private String remote_private() {
            return "private";
        }

        protected String remote_protected() {
            return "protected";
        }

        String remote_packagePrivate() {
            return "package-private";
        }

        public String remote_() {
            return "empty name";
        }

        @Override
        public String toString() {
            return "Restricted";
        }

        // Keeps the non-public methods from being flagged as unused.
        String all() {
            return remote_private() + remote_protected() + remote_packagePrivate();
        }
    }

    public interface Greeter {
        default String remote_greet(String who) {
            return "hello " + who;
        }
    }

    public static class Base {
        public String remote_base() {
            return "base";
        }

        public Object remote_covariant() {
            return "base";
        }
    }

    public static class Derived extends Base implements Greeter {
        public String remote_derived() {
            return "derived";
        }

        // Covariant override: javac adds a bridge remote_covariant()Object, which must not
        // count as a second remote_covariant/0.
        @Override
        public String remote_covariant() {
            return "derived";
        }
    }

    public interface Holder<T> {
        T remote_get();

        void remote_set(T value);
    }

    public static class StringHolder implements Holder<String> {
        private String value = "initial";

        @Override
        public String remote_get() {
            return value;
        }

        @Override
        public void remote_set(String value) {
            this.value = value;
        }
    }

    public static class Conversions {
        public String remote_int(int v) {
            return "int " + v;
        }

        public String remote_long(long v) {
            return "long " + v;
        }

        public String remote_boxedLong(Long v) {
            return "Long " + v;
        }

        public String remote_short(short v) {
            return "short " + v;
        }

        public String remote_float(float v) {
            return "float " + v;
        }

        public String remote_double(double v) {
            return "double " + v;
        }

        public String remote_boxedDouble(Double v) {
            return "Double " + v;
        }

        public String remote_boxedInt(Integer v) {
            return "Integer " + v;
        }

        public String remote_char(char v) {
            return "char " + v;
        }

        public String remote_boolean(boolean v) {
            return "boolean " + v;
        }

        public String remote_string(String v) {
            return "String " + v;
        }

        public String remote_number(Number v) {
            return "Number " + v;
        }

        public String remote_mixed(String s, long l, Integer i) {
            return s + " " + l + " " + i;
        }
    }

    public static class Behaviour {
        final IOException failure = new IOException("boom");
        final CompletableFuture<String> stage = new CompletableFuture<>();
        int calls;

        public void remote_touch() {
            calls++;
        }

        public String remote_fail() throws IOException {
            throw failure;
        }

        public CompletionStage<String> remote_later() {
            return stage;
        }
    }

    private static final class Hidden {
        public String remote_secret(int n) {
            return "secret " + n;
        }
    }

    private static Object call(Object target, String name, Object... args) throws Throwable {
        return MethodTable.of(target.getClass(), PREFIX)
                .find(name, args.length)
                .invoke(target, args);
    }

    @Test
    void resolvesByNameAndArity() throws Throwable {
        MethodTable table = MethodTable.of(Calc.class, PREFIX);
        Invoker add = table.find("add", 2);

        assertThat(table.type()).isEqualTo(Calc.class);
        assertThat(add.name()).isEqualTo("add");
        assertThat(add.arity()).isEqualTo(2);
        assertThat(add.method().getName()).isEqualTo("remote_add");
        assertThat(add.invoke(new Calc(), new Object[] {2, 3})).isEqualTo(5);
        assertThat(call(new Calc(), "echo", "hi")).isEqualTo("hi");
    }

    @Test
    void tableIsCachedPerClassAndPrefix() {
        MethodTable table = MethodTable.of(Calc.class, PREFIX);

        assertThat(MethodTable.of(Calc.class, PREFIX)).isSameAs(table);
        assertThat(MethodTable.of(Calc.class, PREFIX).find("add", 2))
                .isSameAs(table.find("add", 2));
        assertThat(MethodTable.of(Calc.class, "view_")).isNotSameAs(table);
    }

    @Test
    void otherPrefixSeesOnlyItsOwnMethods() {
        MethodTable table = MethodTable.of(Calc.class, "view_");

        assertThatThrownBy(() -> table.find("add", 2))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .hasMessageContaining("it has no public view_ methods");
    }

    @Test
    void rejectsPrefixThatCannotStartAnIdentifier() {
        assertThatThrownBy(() -> MethodTable.of(Calc.class, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MethodTable.of(Calc.class, "1x_"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix");
    }

    @Test
    void overloadsOfDifferentAritiesAreEachCallable() throws Throwable {
        Overloads target = new Overloads();

        assertThat(call(target, "add")).isEqualTo("nothing");
        assertThat(call(target, "add", 1, 2)).isEqualTo(3);
        assertThat(call(target, "add", "a", "b", "c")).isEqualTo("abc");
    }

    @Test
    void overloadsOfSameArityAreRejected() {
        assertThatThrownBy(() -> MethodTable.of(SameArity.class, PREFIX))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(SameArity.class.getName())
                .hasMessageContaining("remote_twice")
                .hasMessageContaining("1 argument")
                .hasMessageContaining("rename one");
        // Not cached as a success: the next export attempt fails the same way.
        assertThatThrownBy(() -> MethodTable.of(SameArity.class, PREFIX))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void missingMethodMessageListsWhatExists() {
        MethodTable table = MethodTable.of(Calc.class, PREFIX);

        assertThatThrownBy(() -> table.find("add", 3))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .hasMessage(Calc.class.getName() + " has no public remote_add taking 3 arguments"
                        + " (it has: remote_add/2, remote_echo/1)");
        assertThatThrownBy(() -> table.find("subtract", 1))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .hasMessageContaining("has no public remote_subtract taking 1 argument (");
    }

    @Test
    void invalidNamesAreNoSuchMethod() {
        MethodTable table = MethodTable.of(Calc.class, PREFIX);

        for (String name : List.of("", "a b", "add;", "x.y", "add\u0000", "add(", "-")) {
            assertThatThrownBy(() -> table.find(name, 0))
                    .as("name %s", name)
                    .isInstanceOf(NoSuchRemoteMethodException.class)
                    .hasMessageContaining("not a valid method name");
        }
    }

    @Test
    void hugeNamesAreTruncatedInTheMessage() {
        String name = "a".repeat(10_000);

        assertThatThrownBy(() -> MethodTable.of(Calc.class, PREFIX).find(name, 0))
                .isInstanceOf(NoSuchRemoteMethodException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    @Test
    void objectMethodsAreNotCallable() {
        MethodTable table = MethodTable.of(Restricted.class, PREFIX);

        assertThatThrownBy(() -> table.find("toString", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> table.find("hashCode", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> table.find("equals", 1))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> table.find("getClass", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> table.find("wait", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThatThrownBy(() -> table.find("notify", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
        assertThat(table.toString()).doesNotContain("toString", "wait", "notify", "getClass");
    }

    @Test
    void onlyPublicInstancePrefixedMethodsAreCallable() throws Throwable {
        MethodTable table = MethodTable.of(Restricted.class, PREFIX);

        assertThat(call(new Restricted(), "open")).isEqualTo("open");
        for (String name : List.of("static", "private", "protected", "packagePrivate")) {
            assertThatThrownBy(() -> table.find(name, 0))
                    .as(name)
                    .isInstanceOf(NoSuchRemoteMethodException.class)
                    .hasMessageContaining("(it has: remote_open/0)");
        }
        // "open" here names remote_open; the unprefixed open() is never reachable.
        assertThat(table.find("open", 0).method().getName()).isEqualTo("remote_open");
        // remote_ itself has an empty name and is not listed.
        assertThatThrownBy(() -> table.find("", 0))
                .isInstanceOf(NoSuchRemoteMethodException.class);
    }

    @Test
    void inheritedAndDefaultMethodsAreCallable() throws Throwable {
        Derived target = new Derived();

        assertThat(call(target, "base")).isEqualTo("base");
        assertThat(call(target, "derived")).isEqualTo("derived");
        assertThat(call(target, "greet", "bob")).isEqualTo("hello bob");
    }

    @Test
    void bridgeMethodsDoNotCountAsOverloads() throws Throwable {
        Invoker covariant = MethodTable.of(Derived.class, PREFIX).find("covariant", 0);

        assertThat(covariant.method().isBridge()).isFalse();
        assertThat(covariant.invoke(new Derived(), null)).isEqualTo("derived");
        // Generic interface: remote_set(Object) bridge next to remote_set(String).
        StringHolder holder = new StringHolder();
        call(holder, "set", "changed");
        assertThat(call(holder, "get")).isEqualTo("changed");
        assertThatThrownBy(() -> call(holder, "set", 42))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("remote_set argument 1: expected java.lang.String, "
                        + "got java.lang.Integer");
    }

    @Test
    void worksOnPrivateNestedAndAnonymousClasses() throws Throwable {
        assertThat(call(new Hidden(), "secret", 7)).isEqualTo("secret 7");

        Base anonymous = new Base() {
            @Override
            public String remote_base() {
                return "anonymous";
            }
        };
        assertThat(call(anonymous, "base")).isEqualTo("anonymous");
    }

    @Test
    void exactTypesAndUnboxingPassThrough() throws Throwable {
        Conversions c = new Conversions();

        assertThat(call(c, "int", 5)).isEqualTo("int 5");
        assertThat(call(c, "long", 5L)).isEqualTo("long 5");
        assertThat(call(c, "char", 'x')).isEqualTo("char x");
        assertThat(call(c, "boolean", true)).isEqualTo("boolean true");
        assertThat(call(c, "number", 1.5)).isEqualTo("Number 1.5");
    }

    @Test
    void boxedPrimitivesWidenToPrimitiveParameters() throws Throwable {
        Conversions c = new Conversions();

        assertThat(call(c, "long", 5)).isEqualTo("long 5");
        assertThat(call(c, "double", 5)).isEqualTo("double 5.0");
        assertThat(call(c, "short", (byte) 3)).isEqualTo("short 3");
        assertThat(call(c, "int", (short) 4)).isEqualTo("int 4");
        assertThat(call(c, "int", 'A')).isEqualTo("int 65");
        assertThat(call(c, "float", 7L)).isEqualTo("float 7.0");
        assertThat(call(c, "double", 1.5f)).isEqualTo("double 1.5");
    }

    @Test
    void boxedPrimitivesWidenToBoxedParameters() throws Throwable {
        Conversions c = new Conversions();

        assertThat(call(c, "boxedLong", 5)).isEqualTo("Long 5");
        assertThat(call(c, "boxedDouble", 2)).isEqualTo("Double 2.0");
        assertThat(call(c, "boxedInt", (byte) 9)).isEqualTo("Integer 9");
    }

    @Test
    void narrowingAndUnrelatedConversionsAreRefused() {
        Conversions c = new Conversions();

        assertThatThrownBy(() -> call(c, "int", 5L))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("remote_int argument 1: expected int, got java.lang.Long");
        assertThatThrownBy(() -> call(c, "float", 1.0))
                .isInstanceOf(BadArgumentException.class);
        assertThatThrownBy(() -> call(c, "short", 1))
                .isInstanceOf(BadArgumentException.class);
        assertThatThrownBy(() -> call(c, "short", 'c'))
                .isInstanceOf(BadArgumentException.class);
        assertThatThrownBy(() -> call(c, "char", 65))
                .isInstanceOf(BadArgumentException.class);
        assertThatThrownBy(() -> call(c, "boolean", 1))
                .isInstanceOf(BadArgumentException.class);
        assertThatThrownBy(() -> call(c, "boxedInt", 5L))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("remote_boxedInt argument 1: expected java.lang.Integer, "
                        + "got java.lang.Long");
        assertThatThrownBy(() -> call(c, "string", 5))
                .isInstanceOf(BadArgumentException.class);
    }

    @Test
    void badArgumentMessageNamesMethodPositionAndTypes() {
        assertThatThrownBy(() -> call(new Calc(), "add", 1, "two"))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("remote_add argument 2: expected int, got java.lang.String");
    }

    @Test
    void nullIsRefusedOnlyForPrimitiveParameters() throws Throwable {
        Conversions c = new Conversions();

        assertThat(call(c, "boxedLong", (Object) null)).isEqualTo("Long null");
        assertThat(call(c, "string", (Object) null)).isEqualTo("String null");
        assertThatThrownBy(() -> call(c, "long", (Object) null))
                .isInstanceOf(BadArgumentException.class)
                .hasMessage("remote_long argument 1: expected long, got null");
    }

    @Test
    void conversionLeavesTheCallersArrayAlone() throws Throwable {
        Object[] args = {"s", 5, 6};

        Object result = MethodTable.of(Conversions.class, PREFIX)
                .find("mixed", 3)
                .invoke(new Conversions(), args);

        assertThat(result).isEqualTo("s 5 6");
        assertThat(args).containsExactly("s", 5, 6);
        assertThat(args[1]).isInstanceOf(Integer.class);
    }

    @Test
    void wrongArgumentCountIsRefused() {
        Invoker add = MethodTable.of(Calc.class, PREFIX).find("add", 2);

        assertThatThrownBy(() -> add.invoke(new Calc(), new Object[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> add.invoke(new Calc(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exceptionFromMethodPropagatesUnwrapped() {
        Behaviour target = new Behaviour();

        assertThatThrownBy(() -> call(target, "fail")).isSameAs(target.failure);
    }

    @Test
    void voidMethodReturnsNull() throws Throwable {
        Behaviour target = new Behaviour();

        assertThat(call(target, "touch")).isNull();
        assertThat(MethodTable.of(Behaviour.class, PREFIX).find("touch", 0).invoke(target, null))
                .isNull();
        assertThat(target.calls).isEqualTo(2);
    }

    @Test
    void completionStageIsReturnedItself() throws Throwable {
        Behaviour target = new Behaviour();

        assertThat(call(target, "later")).isSameAs(target.stage);
    }
}
