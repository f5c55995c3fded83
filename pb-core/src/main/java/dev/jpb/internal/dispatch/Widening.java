package dev.jpb.internal.dispatch;

/**
 * JLS 5.1.2 widening primitive conversions applied to boxed values, shared by argument
 * conversion ({@link Invoker}) and result conversion (typed proxies). Not API.
 */
public final class Widening {
    private Widening() {
    }

    /**
     * Returns {@code value} as an instance of the wrapper type {@code to}: the value itself if it
     * already is one, the widened value if its primitive widens to {@code to}'s primitive (for
     * example an {@code Integer} to a {@code Long} or a {@code Double}), otherwise {@code null}.
     *
     * @param value a non-null value
     * @param to    a primitive wrapper class such as {@code Long.class}
     */
    public static Object widen(Object value, Class<?> to) {
        if (value.getClass() == to) {
            return value;
        }
        if (value instanceof Integer i) {
            return fromInt(i, to);
        }
        if (value instanceof Long l) {
            if (to == Float.class) {
                return (float) l;
            }
            return to == Double.class ? (Object) (double) l : null;
        }
        if (value instanceof Float f) {
            return to == Double.class ? (Object) (double) f : null;
        }
        if (value instanceof Short s) {
            return fromInt(s, to);
        }
        if (value instanceof Character c) {
            return fromInt(c, to);
        }
        if (value instanceof Byte b) {
            return to == Short.class ? (Object) (short) b : fromInt(b, to);
        }
        return null;
    }

    /** Widens an int-or-narrower value to long, float or double; Integer itself is a target. */
    private static Object fromInt(int v, Class<?> to) {
        if (to == Integer.class) {
            return v;
        }
        if (to == Long.class) {
            return (long) v;
        }
        if (to == Float.class) {
            return (float) v;
        }
        return to == Double.class ? (Object) (double) v : null;
    }
}
