package dev.jpb.internal.twisted;

import dev.jpb.BadArgumentException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.NonBlocking;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds and calls {@code remote_<name>} methods by name and arity, as jpb does: public methods
 * only, never those of {@code Object}; two of one name and arity make the class unexportable.
 * Keyword arguments from Python go to a trailing {@link Map} parameter or are refused.
 */
final class Dispatch {
    /**
     * One {@code remote_} method with what a call needs, worked out once: its parameter types,
     * the names of its argument slots for error messages, whether it is {@link NonBlocking}.
     */
    private static final class Target {
        final Method method;
        final Class<?>[] types;
        final String[] slots;
        final boolean nonBlocking;

        Target(Method method, String where) {
            this.method = method;
            this.types = method.getParameterTypes();
            this.slots = new String[types.length];
            for (int i = 0; i < types.length; i++) {
                slots[i] = "argument " + (i + 1) + " of " + where;
            }
            this.nonBlocking = method.isAnnotationPresent(NonBlocking.class);
        }
    }

    private static final ClassValue<Map<String, Map<Integer, Target>>> TABLES =
            new ClassValue<>() {
                @Override
                protected Map<String, Map<Integer, Target>> computeValue(Class<?> type) {
                    return table(type);
                }
            };

    private Dispatch() {
    }

    /**
     * Checks that a class can be exported.
     *
     * @throws IllegalArgumentException if it has two remote_ methods of one name and arity
     */
    static void check(Class<?> type) {
        TABLES.get(type);
    }

    private static Map<String, Map<Integer, Target>> table(Class<?> type) {
        Map<String, Map<Integer, Target>> table = new HashMap<>();
        for (Method m : type.getMethods()) {
            if (!m.getName().startsWith("remote_") || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class || m.isBridge()) {
                continue;
            }
            String name = m.getName().substring("remote_".length());
            m.setAccessible(true);
            Target old = table.computeIfAbsent(name, k -> new HashMap<>())
                    .put(m.getParameterCount(), new Target(m, type.getName() + ".remote_"
                            + name));
            if (old != null) {
                throw new IllegalArgumentException(type.getName() + " has two remote_" + name
                        + " methods taking " + m.getParameterCount() + " arguments; PB "
                        + "dispatches by name and arity only, rename one");
            }
        }
        return Map.copyOf(table);
    }

    /** Whether {@code remote_<name>} of that arity exists and is marked {@link NonBlocking}. */
    static boolean isNonBlocking(Class<?> type, String name, int arity) {
        Map<Integer, Target> byArity = TABLES.get(type).get(name);
        Target t = byArity == null ? null : byArity.get(arity);
        return t != null && t.nonBlocking;
    }

    /**
     * Calls {@code remote_<name>} on {@code target}.
     *
     * @return what the method returned (maybe a CompletionStage)
     * @throws Throwable what the method threw, or a {@link NoSuchRemoteMethodException} /
     *                   {@link BadArgumentException}
     */
    static Object invoke(Object target, String name, List<Object> args, Map<Object, Object> kw)
            throws Throwable {
        Map<Integer, Target> byArity = TABLES.get(target.getClass()).get(name);
        if (byArity == null) {
            throw new NoSuchRemoteMethodException("no method remote_" + name + " on "
                    + target.getClass().getName());
        }
        Target method = byArity.get(args.size());
        Object[] values;
        if (method != null && kw.isEmpty()) {
            values = args.toArray();
        } else {
            String where = target.getClass().getName() + ".remote_" + name;
            Target withKw = byArity.get(args.size() + 1);
            if (withKw == null || withKw.types[args.size()] != Map.class) {
                if (!kw.isEmpty()) {
                    throw new BadArgumentException(where + " takes no keyword arguments (got "
                            + kw.keySet() + "); pass them positionally, or declare a "
                            + "trailing Map<String, Object> parameter to receive them");
                }
                throw new NoSuchRemoteMethodException("no method remote_" + name + " taking "
                        + args.size() + " arguments on " + target.getClass().getName()
                        + " (it takes " + byArity.keySet() + ")");
            }
            method = withKw;
            values = new Object[args.size() + 1];
            for (int i = 0; i < args.size(); i++) {
                values[i] = args.get(i);
            }
            values[args.size()] = kw;
        }
        Class<?>[] types = method.types;
        for (int i = 0; i < types.length; i++) {
            values[i] = Values.convert(values[i], types[i], method.slots[i]);
        }
        try {
            return method.method.invoke(target, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
