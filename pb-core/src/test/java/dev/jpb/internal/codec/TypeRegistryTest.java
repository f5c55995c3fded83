package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.BadArgumentException;
import dev.jpb.Copyable;
import dev.jpb.ForbiddenTypeException;
import dev.jpb.LimitExceededException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.PbError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TypeRegistryTest {
    record Point(int x, int y) implements Copyable {
    }

    enum Color implements Copyable { RED, GREEN }

    enum Op implements Copyable {
        PLUS {
            @Override
            int apply(int a, int b) {
                return a + b;
            }
        };

        abstract int apply(int a, int b);
    }

    static final class Plain {
    }

    interface CopyableShape extends Copyable {
    }

    abstract static class AbstractShape implements Copyable {
    }

    static class WithMessage extends PbError {
        WithMessage(String message) {
            super(message);
        }
    }

    static class WithoutUsableConstructor extends PbError {
        WithoutUsableConstructor(int code) {
            super("code " + code);
        }
    }

    private final TypeRegistry builtIns = TypeRegistry.of(List.of());

    @Test
    void builtInsArePresentUnderTheirBinaryNames() {
        List<Class<?>> expected = List.of(int.class, long.class, boolean.class, double.class,
                Integer.class, Long.class, Character.class, String.class, BigInteger.class,
                BigDecimal.class, UUID.class, Optional.class, Instant.class, LocalDate.class,
                ZoneId.of("Europe/Paris").getClass(), PbError.class,
                NoSuchRemoteMethodException.class, ForbiddenTypeException.class,
                BadArgumentException.class, LimitExceededException.class,
                NoSuchObjectException.class);
        for (Class<?> c : expected) {
            assertThat(builtIns.lookup(c.getName())).as(c.getName()).isSameAs(c);
            assertThat(builtIns.isAllowed(c)).as(c.getName()).isTrue();
        }
    }

    @Test
    void arrayNamesResolveToArraysOfAllowedComponents() {
        assertThat(builtIns.lookup("[I")).isSameAs(int[].class);
        assertThat(builtIns.lookup("[B")).isSameAs(byte[].class);
        assertThat(builtIns.lookup("[Z")).isSameAs(boolean[].class);
        assertThat(builtIns.lookup("[J")).isSameAs(long[].class);
        assertThat(builtIns.lookup("[Ljava.lang.String;")).isSameAs(String[].class);
        assertThat(builtIns.lookup("[[Ljava.lang.String;")).isSameAs(String[][].class);
        assertThat(builtIns.lookup("[[[D")).isSameAs(double[][][].class);
        assertThat(builtIns.lookup("[Ljava.lang.Integer;")).isSameAs(Integer[].class);
    }

    @Test
    void arrayNamesUpToTheJvmsTwoHundredFiftyFiveDimensionsResolve() {
        Class<?> deepest = builtIns.lookup("[".repeat(255) + "I");

        assertThat(deepest).isNotNull();
        assertThat(deepest.getName()).isEqualTo("[".repeat(255) + "I");
    }

    @Test
    void arrayNamesOfMoreDimensionsThanTheJvmAllowsAreUnknownNotAnError() {
        assertThat(builtIns.lookup("[".repeat(256) + "I")).isNull();
        assertThat(builtIns.lookup("[".repeat(300) + "Ljava.lang.String;")).isNull();
    }

    @Test
    @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aSixteenMebibyteNameOfBracketsIsUnknownAndCheapToLookUp() {
        String brackets = "[".repeat(16 << 20);

        assertThat(builtIns.lookup(brackets)).isNull();
        assertThat(builtIns.lookup(brackets + "I")).isNull();
    }

    @Test
    void primitiveNamesInsideAnObjectArrayNameAreUnknown() {
        assertThat(builtIns.lookup("[Lint;")).isNull();
        assertThat(builtIns.lookup("[L;")).isNull();
    }

    @Test
    void unknownNamesResolveToNull() {
        assertThat(builtIns.lookup("com.acme.Secret")).isNull();
        assertThat(builtIns.lookup("java.lang.Object")).isNull();
        assertThat(builtIns.lookup("java.lang.Runtime")).isNull();
        assertThat(builtIns.lookup(Point.class.getName())).isNull();
        assertThat(builtIns.lookup("[Lcom.acme.Secret;")).isNull();
        assertThat(builtIns.lookup("[[Lcom.acme.Secret;")).isNull();
        assertThat(builtIns.lookup("[Ljava.lang.Object;")).isNull();
        assertThat(builtIns.lookup("[Ljava.lang.String")).isNull();
        assertThat(builtIns.lookup("[X")).isNull();
        assertThat(builtIns.lookup("[")).isNull();
        assertThat(builtIns.lookup("[[")).isNull();
        assertThat(builtIns.lookup("")).isNull();
    }

    @Test
    void registeredClassesResolveAndAreAllowedWithTheirArrays() {
        TypeRegistry registry = TypeRegistry.of(List.of(Point.class, Color.class));

        assertThat(registry.lookup(Point.class.getName())).isSameAs(Point.class);
        assertThat(registry.lookup(Color.class.getName())).isSameAs(Color.class);
        assertThat(registry.lookup("[L" + Point.class.getName() + ";")).isSameAs(Point[].class);
        assertThat(registry.isAllowed(Point.class)).isTrue();
        assertThat(registry.isAllowed(Point[][].class)).isTrue();
        assertThat(registry.size()).isEqualTo(builtIns.size() + 2);
    }

    @Test
    void unregisteredClassesAreNotAllowed() {
        assertThat(builtIns.isAllowed(Point.class)).isFalse();
        assertThat(builtIns.isAllowed(Point[].class)).isFalse();
        assertThat(builtIns.isAllowed(Object.class)).isFalse();
        assertThat(builtIns.isAllowed(Object[].class)).isFalse();
        assertThat(builtIns.isAllowed(Thread.class)).isFalse();
        assertThat(builtIns.isAllowed(ArrayList.class)).isFalse();
        assertThat(builtIns.isAllowed(int[][].class)).isTrue();
    }

    @Test
    void recordsEnumsAndEnumsWithConstantBodiesCanBeRegistered() {
        TypeRegistry registry = TypeRegistry.of(List.of(Point.class, Color.class, Op.class));

        assertThat(registry.isAllowed(Op.class)).isTrue();
    }

    @Test
    void pbErrorSubclassWithAStringConstructorCanBeRegistered() {
        TypeRegistry registry = TypeRegistry.of(List.of(WithMessage.class));

        assertThat(registry.lookup(WithMessage.class.getName())).isSameAs(WithMessage.class);
    }

    @Test
    void registeringANonCopyableClassIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(List.of(Plain.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Plain.class.getName())
                .hasMessageContaining("must implement dev.jpb.Copyable");
        assertThatThrownBy(() -> TypeRegistry.of(List.of(Thread.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev.jpb.Copyable");
    }

    @Test
    void registeringAnInterfaceIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(List.of(CopyableShape.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot register " + CopyableShape.class.getName())
                .hasMessageContaining("concrete classes");
    }

    @Test
    void registeringAnAbstractClassIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(List.of(AbstractShape.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot register " + AbstractShape.class.getName());
    }

    @Test
    void registeringArraysAndPrimitivesIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(List.of(Point[].class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need no registration");
        assertThatThrownBy(() -> TypeRegistry.of(List.of(int.class)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registeringAPbErrorWithoutANoArgOrStringConstructorIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(List.of(WithoutUsableConstructor.class)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(WithoutUsableConstructor.class.getName())
                .hasMessageContaining("no-argument or a (String) constructor");
    }

    @Test
    void registeringNullIsRefused() {
        assertThatThrownBy(() -> TypeRegistry.of(Arrays.asList(Point.class, null)))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("registered class");
    }
}
