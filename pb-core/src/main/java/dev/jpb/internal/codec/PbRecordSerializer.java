package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A record as its components sorted by name, each written by the rules of
 * {@code docs/protocol.md} §6.4: the same bytes as Kryo's {@code RecordSerializer}, without its
 * per-call work (a {@code ClassValue} lookup per record, reflective accessor calls, a reference
 * slot for every primitive). Accessors and the canonical constructor are method handles made
 * once; serializers of primitive and final components are looked up once per Kryo (this
 * serializer belongs to one Kryo, like every serializer of {@link PbClassResolver}).
 */
final class PbRecordSerializer<T> extends Serializer<T> {
    private static final int PRIMITIVE = 0;
    private static final int FINAL = 1;
    private static final int ANY = 2;

    private final Class<T> type;
    private final String[] names;     // sorted by name
    private final Class<?>[] types;
    private final int[] kinds;
    private final int[] positions;    // each component's position in the canonical constructor
    private final MethodHandle[] getters; // (Object) -> Object
    private final MethodHandle constructor; // (Object[]) -> Object
    private final Serializer<?>[] serializers; // of PRIMITIVE and FINAL components, once known

    PbRecordSerializer(Kryo kryo, Class<T> type) {
        super(false, true); // immutable: a record never changes after construction
        this.type = type;
        RecordComponent[] declared = type.getRecordComponents();
        Integer[] order = new Integer[declared.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> declared[i].getName()));
        int n = declared.length;
        names = new String[n];
        types = new Class<?>[n];
        kinds = new int[n];
        positions = new int[n];
        getters = new MethodHandle[n];
        serializers = new Serializer<?>[n];
        MethodType getterType = MethodType.methodType(Object.class, Object.class);
        try {
            for (int i = 0; i < n; i++) {
                RecordComponent c = declared[order[i]];
                names[i] = c.getName();
                types[i] = c.getType();
                positions[i] = order[i];
                kinds[i] = types[i].isPrimitive() ? PRIMITIVE
                        : kryo.isFinal(types[i]) ? FINAL : ANY;
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                getters[i] = MethodHandles.lookup().unreflect(accessor).asType(getterType);
            }
            Class<?>[] parameters = Arrays.stream(declared).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            Constructor<T> canonical = type.getDeclaredConstructor(parameters);
            canonical.setAccessible(true);
            constructor = MethodHandles.lookup().unreflectConstructor(canonical)
                    .asSpreader(Object[].class, n)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot copy record " + type.getName() + ": " + e, e);
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void write(Kryo kryo, Output output, T object) {
        for (int i = 0; i < names.length; i++) {
            try {
                Object value = getters[i].invokeExact((Object) object);
                switch (kinds[i]) {
                    case PRIMITIVE -> ((Serializer) serializer(kryo, i)).write(kryo, output, value);
                    case FINAL -> kryo.writeObjectOrNull(output, value, serializer(kryo, i));
                    default -> kryo.writeClassAndObject(output, value);
                }
            } catch (Throwable t) {
                throw traced(t, i);
            }
        }
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> ignored) {
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            try {
                values[positions[i]] = switch (kinds[i]) {
                    case PRIMITIVE -> serializer(kryo, i).read(kryo, input, (Class) types[i]);
                    case FINAL -> kryo.readObjectOrNull(input, types[i], serializer(kryo, i));
                    default -> kryo.readClassAndObject(input);
                };
            } catch (Throwable t) {
                throw traced(t, i);
            }
            Object value = values[positions[i]];
            if (kinds[i] != PRIMITIVE && value != null && !types[i].isInstance(value)) {
                // any value, or a back-reference where a final type is declared: else the
                // constructor call would fail with a ClassCastException
                throw new ProtocolException("record " + type.getName() + ": component "
                        + names[i] + " is declared " + types[i].getName() + " but the message"
                        + " holds a " + value.getClass().getName() + "; register the same"
                        + " version of the record on both ends");
            }
        }
        try {
            return type.cast(constructor.invokeExact(values));
        } catch (Throwable t) {
            // The canonical constructor refused the values (a validating record): say which.
            KryoException e = new KryoException("record " + type.getName()
                    + " refused the received values: " + t, t);
            e.addTrace(type.getName());
            throw e;
        }
    }

    private Serializer<?> serializer(Kryo kryo, int i) {
        Serializer<?> s = serializers[i];
        if (s == null) {
            s = kryo.getRegistration(types[i]).getSerializer();
            serializers[i] = s;
        }
        return s;
    }

    private RuntimeException traced(Throwable t, int i) {
        if (t instanceof Error e && !(t instanceof StackOverflowError)) {
            throw e;
        }
        KryoException e = t instanceof KryoException k ? k : new KryoException(t);
        e.addTrace(names[i] + " (" + types[i].getName() + ")");
        return e;
    }
}
