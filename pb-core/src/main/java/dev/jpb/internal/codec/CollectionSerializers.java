package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Collections and object arrays as jpb sends them: a count, then each element with its type.
 * Any implementation is written; what is read is an {@code ArrayList}, a {@code LinkedHashSet}
 * or a {@code LinkedHashMap}, sized only after checking the count against the frame.
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
            int size = readCount(input, 1);
            return readElements(kryo, input, new ArrayList<>(size), size);
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
            int size = readCount(input, 1);
            return readElements(kryo, input, new LinkedHashSet<>(capacityFor(size)), size);
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
            int size = readCount(input, 2);
            Map<Object, Object> map = new LinkedHashMap<>(capacityFor(size));
            kryo.reference(map);
            for (int i = 0; i < size; i++) {
                Object key = kryo.readClassAndObject(input);
                map.put(key, kryo.readClassAndObject(input));
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
            int size = readCount(input, 1);
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

    private static <C extends Collection<Object>> C readElements(Kryo kryo, Input input,
            C elements, int size) {
        kryo.reference(elements); // before the elements: they may point back at it
        for (int i = 0; i < size; i++) {
            elements.add(kryo.readClassAndObject(input));
        }
        return elements;
    }

    // Every element takes at least one byte (its type or null marker): a larger count is forged.
    private static int readCount(Input input, int minBytesPerElement) {
        int size = input.readVarInt(true);
        ((SafeInput) input).checkLength(size, minBytesPerElement);
        return size;
    }

    private static int capacityFor(int size) {
        return (int) Math.min(Integer.MAX_VALUE, size * 4L / 3 + 1);
    }
}
