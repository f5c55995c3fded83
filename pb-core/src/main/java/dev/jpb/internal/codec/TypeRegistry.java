package dev.jpb.internal.codec;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import dev.jpb.BadArgumentException;
import dev.jpb.CallRejectedException;
import dev.jpb.Copyable;
import dev.jpb.ForbiddenTypeException;
import dev.jpb.LimitExceededException;
import dev.jpb.LoginFailedException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.NotLoggedInException;
import dev.jpb.PbError;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The allow-list of one end: the classes that may be sent and received by copy, each under a
 * stable wire name (its binary class name). Immutable and thread-safe.
 *
 * <p>The built-in safe set is always there: primitives and their boxes, {@code String}, the
 * JDK value types of DESIGN.md and jpb's own errors. Arrays are allowed when their component
 * type is. Collections never need registering: every {@code List}, {@code Set}, {@code Map} or
 * other {@code Collection} travels as its interface and arrives as an ordinary JDK collection.
 */
public final class TypeRegistry {
    private static final Class<?>[] BUILT_IN = {
        boolean.class, byte.class, short.class, char.class, int.class, long.class, float.class,
        double.class, Boolean.class, Byte.class, Short.class, Character.class, Integer.class,
        Long.class, Float.class, Double.class, String.class,
        BigInteger.class, BigDecimal.class, UUID.class,
        Optional.class, OptionalInt.class, OptionalLong.class, OptionalDouble.class,
        Duration.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class,
        ZonedDateTime.class, OffsetDateTime.class, OffsetTime.class, ZoneOffset.class,
        ZoneId.of("Europe/Paris").getClass(), Year.class, YearMonth.class, MonthDay.class,
        Period.class,
        PbError.class, NoSuchRemoteMethodException.class, ForbiddenTypeException.class,
        BadArgumentException.class, LimitExceededException.class, NoSuchObjectException.class,
        CallRejectedException.class,
        LoginFailedException.class, NotLoggedInException.class,
    };

    private final ImmutableMap<String, Class<?>> byName;

    private TypeRegistry(ImmutableMap<String, Class<?>> byName) {
        this.byName = byName;
    }

    /**
     * Returns the registry of the built-in safe set plus {@code registered}.
     *
     * @throws IllegalArgumentException if a registered class cannot travel by copy
     */
    public static TypeRegistry of(Collection<Class<?>> registered) {
        Map<String, Class<?>> map = new LinkedHashMap<>();
        for (Class<?> c : BUILT_IN) {
            map.put(c.getName(), c);
        }
        for (Class<?> c : registered) {
            requireNonNull(c, "registered class");
            checkRegistrable(c);
            map.put(c.getName(), c);
        }
        return new TypeRegistry(ImmutableMap.copyOf(map));
    }

    private static void checkRegistrable(Class<?> c) {
        if (c.isInterface() || c.isArray() || c.isPrimitive()
                || Modifier.isAbstract(c.getModifiers()) && !c.isEnum()) {
            throw new IllegalArgumentException("cannot register " + c.getName()
                    + ": register concrete classes, records or enums (arrays and collections"
                    + " of registered types need no registration)");
        }
        if (!Copyable.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("cannot register " + c.getName()
                    + ": a class passed by copy must implement dev.jpb.Copyable");
        }
        for (Class<?> level = c; level != null && level != Object.class;
                level = level.getSuperclass()) {
            for (java.lang.reflect.Field f : level.getDeclaredFields()) {
                Class<?> t = f.getType();
                if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())
                        && (Referenceable.class.isAssignableFrom(t)
                                || RemoteReference.class.isAssignableFrom(t)
                                || dev.jpb.Cacheable.class.isAssignableFrom(t)
                                || dev.jpb.RemoteCache.class.isAssignableFrom(t))) {
                    throw new IllegalArgumentException("cannot register " + c.getName()
                            + ": field " + f.getName() + " is declared " + t.getSimpleName()
                            + "; the sender holds a Referenceable and the receiver a"
                            + " RemoteReference (or a Cacheable and its copy), so declare"
                            + " reference fields as Object");
                }
            }
        }
        if (PbError.class.isAssignableFrom(c) && constructorFor(c) == null) {
            throw new IllegalArgumentException("cannot register " + c.getName()
                    + ": a PbError subclass needs a no-argument or a (String) constructor");
        }
    }

    static Constructor<?> constructorFor(Class<?> c) {
        for (Class<?>[] params : new Class<?>[][] {{}, {String.class}}) {
            try {
                return c.getDeclaredConstructor(params);
            } catch (NoSuchMethodException e) {
                // try the next shape
            }
        }
        return null;
    }

    /** The most dimensions a JVM array type may have. */
    static final int MAX_ARRAY_DIMENSIONS = 255;

    /**
     * Returns the allowed class with that wire name, or {@code null}. An array name is parsed
     * in one pass, without copies beyond its component's name; one with more dimensions than
     * a JVM allows is simply not allowed.
     */
    public Class<?> lookup(String name) {
        Class<?> c = byName.get(name);
        if (c != null || !name.startsWith("[")) {
            return c;
        }
        int dimensions = 0;
        while (dimensions <= MAX_ARRAY_DIMENSIONS && dimensions < name.length()
                && name.charAt(dimensions) == '[') {
            dimensions++;
        }
        if (dimensions > MAX_ARRAY_DIMENSIONS) {
            return null;
        }
        Class<?> component = componentOf(name, dimensions);
        if (component == null) {
            return null;
        }
        for (int i = 0; i < dimensions; i++) {
            component = component.arrayType();
        }
        return component;
    }

    // The innermost component named after the dimensions: a primitive's letter, or L<name>;.
    private Class<?> componentOf(String name, int start) {
        int left = name.length() - start;
        if (left == 1) {
            switch (name.charAt(start)) {
                case 'Z': return boolean.class;
                case 'B': return byte.class;
                case 'S': return short.class;
                case 'C': return char.class;
                case 'I': return int.class;
                case 'J': return long.class;
                case 'F': return float.class;
                case 'D': return double.class;
                default: return null;
            }
        }
        if (left > 2 && name.charAt(start) == 'L' && name.endsWith(";")) {
            Class<?> c = byName.get(name.substring(start + 1, name.length() - 1));
            return c == null || c.isPrimitive() ? null : c;
        }
        return null;
    }

    /** Returns whether {@code c} (or, for an array, its innermost component) is allowed. */
    public boolean isAllowed(Class<?> c) {
        Class<?> base = c;
        while (base.isArray()) {
            base = base.getComponentType();
        }
        return byName.get(base.getName()) == base;
    }

    /** Returns how many classes are registered, built-ins included. */
    public int size() {
        return byName.size();
    }
}
