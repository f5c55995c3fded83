package dev.jpb.internal.fuzz;

import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** The invariants every fuzz target checks: buffers, exception types, decoded size. */
public final class FuzzChecks {
    /**
     * One pooled heap arena without thread caches: a buffer released goes straight back, so
     * the arena's count of live allocations is 0 exactly when nothing leaked. Fuzz inputs run
     * one at a time on one thread.
     */
    public static final PooledByteBufAllocator ALLOC =
            new PooledByteBufAllocator(false, 1, 0, 8192, 9, 0, 0, false);

    /** Exception types that, anywhere in a failure's chain, mean a bug in a decoder. */
    public static final List<Class<? extends Throwable>> BUGS = List.of(
            NullPointerException.class, ClassCastException.class,
            IndexOutOfBoundsException.class, NegativeArraySizeException.class,
            ArithmeticException.class, ArrayStoreException.class, IllegalStateException.class,
            UnsupportedOperationException.class, NumberFormatException.class, Error.class);

    private FuzzChecks() {
    }

    /** {@return the buffers of {@link #ALLOC} not yet released} */
    public static long liveAllocations() {
        long n = 0;
        for (PoolArenaMetric arena : ALLOC.metric().heapArenas()) {
            n += arena.numActiveAllocations();
        }
        return n;
    }

    /** Fails if {@code e}'s cause chain holds one of {@link #BUGS}. */
    public static void checkNoBug(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> bug : BUGS) {
                if (bug.isInstance(t)) {
                    throw new AssertionError("decoder bug behind " + e, e);
                }
            }
        }
    }

    /**
     * Counts the distinct objects reachable from {@code roots} and their slots: elements,
     * entries (two each), array items, record components and the instance fields of
     * {@code withFields}. Everything else is a leaf, and must satisfy {@code leaf}.
     */
    public static long weigh(Collection<?> roots, Set<Class<?>> withFields,
            Predicate<Object> leaf) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        roots.stream().filter(v -> v != null).forEach(todo::push);
        long weight = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            weight++;
            List<Object> children = new ArrayList<>();
            Class<?> c = o.getClass();
            if (o instanceof Collection<?> coll) {
                weight += coll.size();
                children.addAll(coll);
            } else if (o instanceof Map<?, ?> map) {
                weight += 2L * map.size();
                map.forEach((k, v) -> {
                    children.add(k);
                    children.add(v);
                });
            } else if (c.isArray()) {
                weight += Array.getLength(o);
                if (!c.getComponentType().isPrimitive()) {
                    children.addAll(Arrays.asList((Object[]) o));
                }
            } else if (o instanceof Optional<?> opt) {
                opt.ifPresent(children::add);
            } else if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    weight++;
                    children.add(read(rc, o));
                }
            } else if (withFields.contains(c)) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers())) {
                        weight++;
                        children.add(read(f, o));
                    }
                }
            } else if (!leaf.test(o)) {
                throw new AssertionError("decoded an unexpected type " + c.getName());
            }
            for (Object child : children) {
                if (child != null) {
                    todo.push(child);
                }
            }
        }
        return weight;
    }

    private static Object read(RecordComponent rc, Object record) {
        try {
            rc.getAccessor().setAccessible(true);
            return rc.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object read(Field f, Object o) {
        try {
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
