package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.PbError;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link PbError} subclass as its message and its own fields (those declared below
 * {@code PbError}, sorted by declaring class from the top, then by name). The stack trace and
 * cause stay local: Throwable's internals are not ours to copy. A received error is built
 * without filling in a stack trace (see {@link PbError}): a three-byte token must not buy a
 * stack walk.
 */
final class ErrorSerializer extends Serializer<PbError> {
    private static final VarHandle RECEIVED_MESSAGE;
    private static final ThreadLocal<Boolean> RECEIVING;

    static {
        try {
            MethodHandles.Lookup lookup =
                    MethodHandles.privateLookupIn(PbError.class, MethodHandles.lookup());
            RECEIVED_MESSAGE = lookup.findVarHandle(PbError.class, "receivedMessage",
                    String.class);
            @SuppressWarnings("unchecked")
            ThreadLocal<Boolean> receiving = (ThreadLocal<Boolean>) lookup
                    .findStaticVarHandle(PbError.class, "RECEIVING", ThreadLocal.class).get();
            RECEIVING = receiving;
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Constructor<?> constructor;
    private final boolean constructorTakesMessage;
    private final Field[] fields;

    ErrorSerializer(Class<?> type) {
        this.constructor = TypeRegistry.constructorFor(type);
        if (constructor == null) {
            throw new IllegalArgumentException(type.getName()
                    + " needs a no-argument or a (String) constructor to cross the wire");
        }
        constructor.setAccessible(true);
        this.constructorTakesMessage = constructor.getParameterCount() == 1;
        this.fields = ownFields(type);
    }

    private static Field[] ownFields(Class<?> type) {
        List<Class<?>> levels = new ArrayList<>();
        for (Class<?> c = type; c != PbError.class; c = c.getSuperclass()) {
            levels.add(0, c);
        }
        List<Field> result = new ArrayList<>();
        for (Class<?> level : levels) {
            List<Field> declared = new ArrayList<>();
            for (Field f : level.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isTransient(m) && !f.isSynthetic()) {
                    f.setAccessible(true);
                    declared.add(f);
                }
            }
            declared.sort(Comparator.comparing(Field::getName));
            result.addAll(declared);
        }
        return result.toArray(new Field[0]);
    }

    @Override
    public void write(Kryo kryo, Output output, PbError error) {
        output.writeString(error.getMessage());
        try {
            for (Field f : fields) {
                kryo.writeClassAndObject(output, f.get(error));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PbError read(Kryo kryo, Input input, Class<? extends PbError> type) {
        String message = input.readString();
        PbError error;
        try {
            RECEIVING.set(Boolean.TRUE);
            try {
                error = (PbError) (constructorTakesMessage
                        ? constructor.newInstance(message) : constructor.newInstance());
            } finally {
                RECEIVING.remove();
            }
            RECEIVED_MESSAGE.set(error, message);
            kryo.reference(error);
            for (Field f : fields) {
                Object value = kryo.readClassAndObject(input);
                if (value != null || !f.getType().isPrimitive()) {
                    f.set(error, value);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot rebuild " + type.getName() + ": " + e, e);
        }
        return error;
    }
}
