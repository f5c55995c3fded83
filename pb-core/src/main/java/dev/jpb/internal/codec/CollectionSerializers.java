package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Collections and object arrays as jpb sends them: a count, then each element with its type.
 * Any implementation is written; what is read is an {@code ArrayList}, a {@code LinkedHashSet}
 * or a {@code LinkedHashMap}, sized only after the count is charged against the bytes of the
 * frame and the values left in the message ({@link SafeInput#claim}, {@link ReadBudget}).
 *
 * <p>A set or map is filled once all its elements are read, after what hashing them costs is
 * charged to the message's budget ({@link #chargeHashing}): a hostile graph is refused before
 * any {@code hashCode} or {@code equals} runs.
 */
final class CollectionSerializers {
    private CollectionSerializers() {
    }

    /** Writes any {@code Collection} as a list; reads an {@code ArrayList}. */
    static final class ListSerializer extends Serializer<Collection<?>> {
        @Override
        public void write(Kryo kryo, Output output, Collection<?> list) {
            writeElements(kryo, output, list);
        }

        @Override
        public Collection<?> read(Kryo kryo, Input input, Class<? extends Collection<?>> type) {
            int size = readCount(kryo, input, 1);
            ArrayList<Object> list = new ArrayList<>(size);
            kryo.reference(list); // before the elements: they may point back at it
            for (int i = 0; i < size; i++) {
                list.add(kryo.readClassAndObject(input));
            }
            return list;
        }
    }

    /** Writes any {@code Set}; reads a {@code LinkedHashSet} in the sender's order. */
    static final class SetSerializer extends Serializer<Set<?>> {
        @Override
        public void write(Kryo kryo, Output output, Set<?> set) {
            writeElements(kryo, output, set);
        }

        @Override
        public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
            int size = readCount(kryo, input, 1);
            Set<Object> set = new LinkedHashSet<>(capacityFor(size));
            kryo.reference(set);
            ReadBudget budget = ValueCodec.budget(kryo);
            Object[] elements = new Object[size];
            long[] weights = new long[size];
            for (int i = 0; i < size; i++) {
                elements[i] = kryo.readClassAndObject(input);
                weights[i] = budget.lastWeight();
            }
            chargeHashing(budget, elements, weights);
            set.addAll(Arrays.asList(elements));
            return set;
        }
    }

    /** Writes any {@code Map}; reads a {@code LinkedHashMap} in the sender's order. */
    static final class MapSerializer extends Serializer<Map<?, ?>> {
        @Override
        public void write(Kryo kryo, Output output, Map<?, ?> map) {
            output.writeVarInt(map.size(), true);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
            int size = readCount(kryo, input, 2);
            Map<Object, Object> map = new LinkedHashMap<>(capacityFor(size));
            kryo.reference(map);
            ReadBudget budget = ValueCodec.budget(kryo);
            Object[] keys = new Object[size];
            Object[] values = new Object[size];
            long[] weights = new long[size];
            for (int i = 0; i < size; i++) {
                keys[i] = kryo.readClassAndObject(input);
                weights[i] = budget.lastWeight();
                values[i] = kryo.readClassAndObject(input);
            }
            chargeHashing(budget, keys, weights);
            for (int i = 0; i < size; i++) {
                map.put(keys[i], values[i]);
            }
            return map;
        }
    }

    /** Arrays of reference types; the array's class (hence its component) is already known. */
    static final class ObjectArraySerializer extends Serializer<Object[]> {
        @Override
        public void write(Kryo kryo, Output output, Object[] array) {
            output.writeVarInt(array.length, true);
            for (Object element : array) {
                kryo.writeClassAndObject(output, element);
            }
        }

        @Override
        public Object[] read(Kryo kryo, Input input, Class<? extends Object[]> type) {
            int size = readCount(kryo, input, 1);
            Class<?> component = type.getComponentType();
            Object[] array = (Object[]) Array.newInstance(component, size);
            kryo.reference(array);
            for (int i = 0; i < size; i++) {
                Object element = kryo.readClassAndObject(input);
                if (element != null && !component.isInstance(element)) {
                    throw new IllegalArgumentException("element " + i + " of a "
                            + type.getSimpleName() + " is a " + element.getClass().getName());
                }
                array[i] = element;
            }
            return array;
        }
    }

    private static void writeElements(Kryo kryo, Output output, Collection<?> elements) {
        output.writeVarInt(elements.size(), true);
        for (Object element : elements) {
            kryo.writeClassAndObject(output, element);
        }
    }

    /** {@code boolean[]}, as Kryo writes it, but never allocated before its length is paid. */
    static final class BooleanArraySerializer extends Serializer<boolean[]> {
        BooleanArraySerializer() {
            setAcceptsNull(true); // as Kryo's own
        }

        @Override
        public void write(Kryo kryo, Output output, boolean[] array) {
            if (array == null) {
                output.writeByte(0);
                return;
            }
            output.writeVarInt(array.length + 1, true);
            output.writeBooleans(array, 0, array.length);
        }

        @Override
        public boolean[] read(Kryo kryo, Input input, Class<? extends boolean[]> type) {
            int length = input.readVarInt(true);
            return length == 0 ? null : input.readBooleans(length - 1);
        }
    }

    // Every element takes at least one byte (its type or null marker) that no other count of
    // the message claims, so the counts of one message add up to at most its bytes, and to at
    // most the values it may hold.
    private static int readCount(Kryo kryo, Input input, int minBytesPerElement) {
        int size = input.readVarInt(true);
        ((SafeInput) input).claim(size, minBytesPerElement);
        ValueCodec.budget(kryo).checkCount(size);
        return size;
    }

    /**
     * Charges {@code budget} for adding {@code keys} to a hash table: each key's weight for its
     * hash code, and, for keys of equal hash codes, what comparing each with the ones before
     * it may cost. Keys of the JDK's own scalar types are cheap to hash and, being
     * {@code Comparable}, cheap to tell apart in a hash table's tree bins: they cost their
     * weight. Any other key is hashed once here (its weight charged first) to find the
     * collisions, which cost (k - 1) times the weights of the k keys sharing a hash code.
     */
    static void chargeHashing(ReadBudget budget, Object[] keys, long[] weights) {
        int n = keys.length;
        long total = 0;
        boolean scalar = true;
        for (int i = 0; i < n; i++) {
            total = Math.min(ReadBudget.CAP, total + weights[i]);
            scalar &= keys[i] == null || SCALAR.get(keys[i].getClass());
        }
        if (scalar || n < 2) {
            budget.charge(total);
            return;
        }
        budget.charge(2 * total); // hashed here, then again by the table
        long[] byHash = new long[n];
        for (int i = 0; i < n; i++) {
            byHash[i] = (long) Objects.hashCode(keys[i]) << 32 | i;
        }
        Arrays.sort(byHash);
        long collisions = 0;
        int runStart = 0;
        for (int i = 1; i <= n; i++) {
            if (i < n && (int) (byHash[i] >>> 32) == (int) (byHash[runStart] >>> 32)) {
                continue;
            }
            int k = i - runStart;
            if (k > 1) {
                long weight = 0;
                for (int j = runStart; j < i; j++) {
                    weight = Math.min(ReadBudget.CAP, weight + weights[(int) byHash[j]]);
                }
                long cost = weight > ReadBudget.CAP / (k - 1) ? ReadBudget.CAP : weight * (k - 1);
                collisions = Math.min(ReadBudget.CAP, collisions + cost);
            }
            runStart = i;
        }
        budget.charge(collisions);
    }

    private static final ClassValue<Boolean> SCALAR = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return type == String.class || type == Integer.class || type == Long.class
                    || type == Short.class || type == Byte.class || type == Character.class
                    || type == Boolean.class || type == Float.class || type == Double.class
                    || Enum.class.isAssignableFrom(type); // identity hash codes
        }
    };

    private static int capacityFor(int size) {
        return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
    }
}
