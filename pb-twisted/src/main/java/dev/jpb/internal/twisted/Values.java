package dev.jpb.internal.twisted;

import dev.jpb.BadArgumentException;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Converts a value that arrived to the Java type a parameter, field or record component
 * declares: boxing, JLS widening between numbers, Python ints to the narrower Java type when
 * the value fits, and nothing else.
 */
final class Values {
    private Values() {
    }

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, double.class, Double.class,
            float.class, Float.class, boolean.class, Boolean.class, short.class, Short.class,
            byte.class, Byte.class, char.class, Character.class);

    /**
     * Returns {@code value} as a {@code to}.
     *
     * @param what names the slot for the error message, e.g. "argument 1 of remote_add"
     * @throws BadArgumentException if it cannot be converted
     */
    static Object convert(Object value, Class<?> to, String what) {
        if (value == null) {
            if (to.isPrimitive()) {
                throw new BadArgumentException(what + " is None but must be a " + to.getName());
            }
            return null;
        }
        Class<?> box = to.isPrimitive() ? BOXES.get(to) : to;
        if (box.isInstance(value)) {
            return value;
        }
        Object converted = numeric(value, box);
        if (converted != null) {
            return converted;
        }
        if (box == List.class && value instanceof List<?>) {
            return value;
        }
        throw new BadArgumentException(what + " is a " + describe(value) + " but must be a "
                + to.getName());
    }

    private static Object numeric(Object value, Class<?> box) {
        if (!(value instanceof Number n) || value instanceof Double) {
            return null; // a float never narrows, and is already a Double
        }
        if (box == Double.class) {
            return n.doubleValue();
        }
        if (box == Float.class) {
            return n.floatValue();
        }
        if (box == BigInteger.class) {
            return value instanceof BigInteger ? value : BigInteger.valueOf(n.longValue());
        }
        BigInteger big = value instanceof BigInteger b ? b : BigInteger.valueOf(n.longValue());
        if (box == Long.class && big.bitLength() < 64) {
            return big.longValue();
        }
        if (box == Integer.class && big.bitLength() < 32) {
            return big.intValue();
        }
        if (box == Short.class && big.bitLength() < 16) {
            return big.shortValue();
        }
        if (box == Byte.class && big.bitLength() < 8) {
            return big.byteValue();
        }
        return null;
    }

    /** Returns how a value is named in messages: its Python type where there is one. */
    static String describe(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String) {
            return "str";
        }
        if (value instanceof byte[]) {
            return "bytes";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof List) {
            return "list";
        }
        if (value instanceof Map) {
            return "dict";
        }
        return value.getClass().getName();
    }
}
