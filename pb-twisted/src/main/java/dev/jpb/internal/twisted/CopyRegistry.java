package dev.jpb.internal.twisted;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.PbError;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which Java classes stand for which Python {@code pb.Copyable} classes (copies, by fully
 * qualified Python name such as {@code shared.Point}), and which Java {@link PbError}
 * subclasses stand for which Python exception types. Immutable once built; thread-safe.
 */
public final class CopyRegistry {
    private final Map<String, Class<?>> copiesByName;
    private final Map<Class<?>, String> namesByCopy;
    private final Map<Class<?>, List<Field>> fields = new HashMap<>(); // guarded by "this"
    private final Map<String, Class<? extends PbError>> errorsByName;
    private final Map<Class<?>, String> namesByError;

    private CopyRegistry(Map<String, Class<?>> copies,
            Map<String, Class<? extends PbError>> errors) {
        this.copiesByName = Map.copyOf(copies);
        Map<Class<?>, String> reverse = new HashMap<>();
        copies.forEach((name, type) -> reverse.put(type, name));
        this.namesByCopy = Map.copyOf(reverse);
        this.errorsByName = Map.copyOf(errors);
        Map<Class<?>, String> errorNames = new HashMap<>();
        errors.forEach((name, type) -> errorNames.put(type, name));
        this.namesByError = Map.copyOf(errorNames);
    }

    /** Collects registrations; not thread-safe. */
    public static final class Builder {
        private final Map<String, Class<?>> copies = new HashMap<>();
        private final Map<String, Class<? extends PbError>> errors = new HashMap<>();

        /** Registers a copy type; see {@code TwistedPbClient.Builder.registerCopy}. */
        public Builder copy(String pythonName, Class<?> type) {
            requireNonNull(pythonName, "pythonName");
            requireNonNull(type, "type");
            checkArgument(!pythonName.isEmpty(), "pythonName: empty (expected: module.Class)");
            checkArgument(!type.isInterface() && !Modifier.isAbstract(type.getModifiers()),
                    "type: %s (expected: a record or a concrete class)", type.getName());
            checkArgument(!Throwable.class.isAssignableFrom(type),
                    "type: %s is an exception; register it with registerError", type.getName());
            if (!type.isRecord()) {
                try {
                    type.getDeclaredConstructor();
                } catch (NoSuchMethodException e) {
                    throw new IllegalArgumentException("type: " + type.getName()
                            + " has no no-argument constructor (expected: a record, or a class"
                            + " with one)");
                }
            }
            Class<?> old = copies.put(pythonName, type);
            checkArgument(old == null || old == type, "pythonName: %s is already registered "
                    + "for %s", pythonName, old);
            return this;
        }

        /** Registers an error type; see {@code TwistedPbClient.Builder.registerError}. */
        public Builder error(String pythonName, Class<? extends PbError> type) {
            requireNonNull(pythonName, "pythonName");
            requireNonNull(type, "type");
            try {
                type.getConstructor(String.class);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException("type: " + type.getName()
                        + " has no public (String) constructor");
            }
            errors.put(pythonName, type);
            return this;
        }

        /** Returns the immutable registry. */
        public CopyRegistry build() {
            return new CopyRegistry(copies, errors);
        }
    }

    /** Returns the Java class registered for a Python class name, or {@code null}. */
    Class<?> copyType(String pythonName) {
        return copiesByName.get(pythonName);
    }

    /** Returns the Python name a Java class is sent under, or {@code null} if unregistered. */
    String copyName(Class<?> type) {
        return namesByCopy.get(type);
    }

    /** Returns the Java error class registered for a Python exception type, or null. */
    Class<? extends PbError> errorType(String pythonName) {
        return errorsByName.get(pythonName);
    }

    /** Returns the Python name a Java error class is sent under, or {@code null}. */
    String errorName(Class<?> type) {
        return namesByError.get(type);
    }

    /** Returns the instance fields a (non-record) copy class carries, superclasses first. */
    synchronized List<Field> fieldsOf(Class<?> type) {
        return fields.computeIfAbsent(type, t -> {
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
                chain.add(c);
            }
            Collections.reverse(chain);
            List<Field> out = new ArrayList<>();
            for (Class<?> c : chain) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                        f.setAccessible(true);
                        out.add(f);
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    /** Returns a record's canonical constructor, accessible. */
    static Constructor<?> canonical(Class<?> record) throws NoSuchMethodException {
        RecordComponent[] components = record.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        Constructor<?> c = record.getDeclaredConstructor(types);
        c.setAccessible(true);
        return c;
    }
}
