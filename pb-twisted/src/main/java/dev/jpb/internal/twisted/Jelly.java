package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpb.ForbiddenTypeException;
import dev.jpb.LimitExceededException;
import dev.jpb.PbError;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jelly (Twisted 22.4, {@code twisted/spread/jelly.py} with PB's flavors): Java values to
 * s-expressions and back, for one connection. Shared and cyclic lists, dicts and copies become
 * {@code reference}/{@code dereference} pairs exactly as Twisted writes them. Only the types
 * of the value table in docs/twisted-wire.md and the registered copies are built; anything
 * else is a {@link ForbiddenTypeException}. Thread-safe (each call works on its own state).
 */
final class Jelly {
    static final String NONE = "None";
    static final String UNICODE = "unicode";
    static final String BOOLEAN = "boolean";
    static final String LIST = "list";
    static final String TUPLE = "tuple";
    static final String DICTIONARY = "dictionary";
    static final String SET = "set";
    static final String FROZENSET = "frozenset";
    static final String REFERENCE = "reference";
    static final String DEREFERENCE = "dereference";
    static final String REMOTE = "remote";
    static final String LOCAL = "local";

    /**
     * The most list elements, dict entries and record components that hashing the elements of
     * one message's sets may visit, each counted as often as it is reached: shared tuples
     * would otherwise make hashing exponential, and a cyclic one never end.
     */
    static final int MAX_HASH_WORK = 1 << 20;

    private static final byte[] TRUE = "true".getBytes(US_ASCII);
    private static final byte[] FALSE = "false".getBytes(US_ASCII);
    /** An empty dict (immutable; Banana only reads it). */
    private static final List<Object> EMPTY_DICTIONARY = List.of(DICTIONARY);

    private final CopyRegistry registry;
    private final JellyPeer peer;

    Jelly(CopyRegistry registry, JellyPeer peer) {
        this.registry = registry;
        this.peer = peer;
    }

    /** Returns the s-expression for a value. */
    Object jelly(Object value) {
        if (value instanceof Map<?, ?> map && map.isEmpty()) {
            return EMPTY_DICTIONARY; // every call's keywords: nothing to preserve
        }
        return new Jellier().jelly(value);
    }

    /** Returns the s-expression for a tuple of arguments. */
    Object jellyTuple(Object[] values) {
        Jellier j = new Jellier();
        List<Object> sxp = new ArrayList<>(values.length + 1);
        sxp.add(TUPLE);
        for (Object v : values) {
            sxp.add(j.jelly(v));
        }
        return sxp;
    }

    /** Returns the value an s-expression stands for. */
    Object unjelly(Object sexp) {
        if (!(sexp instanceof List<?>) && !(sexp instanceof String)) {
            return sexp; // int, long, BigInteger, Double, byte[]: no state needed
        }
        return new Unjellier().unjelly(sexp);
    }

    /** Returns the s-expression of a CopyableFailure describing {@code error}. */
    Object failure(Throwable error) {
        String type = registry.errorName(error.getClass());
        List<Object> parents = new ArrayList<>();
        parents.add(LIST);
        if (type == null) {
            type = error.getClass().getName();
            for (Class<?> c = error.getClass(); c != null; c = c.getSuperclass()) {
                parents.add(unicode(c.getName()));
            }
        } else {
            parents.add(unicode(type));
        }
        if (error instanceof PbError) {
            parents.add(unicode("twisted.spread.pb.Error"));
        }
        parents.add(unicode("builtins.Exception"));
        parents.add(unicode("builtins.BaseException"));
        parents.add(unicode("builtins.object"));
        String message = error.getMessage() == null ? "" : error.getMessage();
        List<Object> state = new ArrayList<>();
        state.add(DICTIONARY);
        state.add(List.of(unicode("type"), type.getBytes(UTF_8)));
        state.add(List.of(unicode("value"), unicode(message)));
        state.add(List.of(unicode("traceback"), unicode(CopiedFailure.NO_TRACEBACK)));
        state.add(List.of(unicode("parents"), parents));
        state.add(List.of(unicode("count"), 0));
        state.add(List.of(unicode("captureVars"), List.of(BOOLEAN, FALSE)));
        state.add(List.of(unicode("frames"), List.of(LIST)));
        state.add(List.of(unicode("stack"), List.of(LIST)));
        state.add(List.of(unicode("tb"), List.of(NONE)));
        return List.of(CopiedFailure.PYTHON_NAME, state);
    }

    private static List<Object> unicode(String s) {
        return List.of(UNICODE, s.getBytes(UTF_8));
    }

    /** State of one serialization: which mutable objects were seen (Twisted's _Jellier). */
    private final class Jellier {
        // Made on the first container: a call of plain ints and strings allocates neither.
        private Map<Object, List<Object>> preserved;
        private Map<Object, List<Object>> cooked;
        private int nextRefId = 1;

        Object jelly(Object value) {
            if (value == null) {
                return List.of(NONE);
            }
            if (value instanceof String s) {
                return unicode(s);
            }
            if (value instanceof Integer || value instanceof Long || value instanceof BigInteger
                    || value instanceof Double) {
                return value;
            }
            if (value instanceof Short || value instanceof Byte) {
                return ((Number) value).intValue();
            }
            if (value instanceof Float f) {
                return f.doubleValue();
            }
            if (value instanceof Boolean b) {
                return List.of(BOOLEAN, b ? TRUE : FALSE);
            }
            if (value instanceof Character c) {
                return unicode(c.toString());
            }
            if (value instanceof byte[] bytes) {
                return bytes;
            }
            if (value instanceof Referenceable r) {
                return List.of(REMOTE, peer.export(r));
            }
            if (value instanceof RemoteReference ref) {
                Object luid = peer.luidOf(ref);
                if (luid == null) {
                    throw new ForbiddenTypeException("a RemoteReference of another connection "
                            + "cannot be sent here: PB references are only valid on their own "
                            + "connection");
                }
                return List.of(LOCAL, Luids.toWire(luid));
            }
            if (value instanceof Enum<?> e) {
                return unicode(e.name());
            }
            return mutable(value);
        }

        private Object mutable(Object value) {
            if (preserved == null) {
                preserved = new IdentityHashMap<>(8);
                cooked = new IdentityHashMap<>(8);
            }
            List<Object> seen = cooked.get(value);
            if (seen != null) {
                return seen;
            }
            if (preserved.containsKey(value)) {
                return cook(value);
            }
            String copyName = registry.copyName(value.getClass());
            if (copyName == null && !(value instanceof Collection<?>)
                    && !(value instanceof Map<?, ?>) && !(value instanceof Object[])) {
                throw new ForbiddenTypeException("class " + value.getClass().getName()
                        + " cannot be sent to Twisted PB: register it as a copy with "
                        + "builder().registerCopy(\"module.Class\", "
                        + value.getClass().getSimpleName() + ".class), or send a value of the"
                        + " value table (None, bool, int, float, str, bytes, list, dict)");
            }
            preserved.put(value, new ArrayList<>());
            List<Object> sxp = new ArrayList<>();
            if (value instanceof Set<?> set) {
                sxp.add(SET);
                for (Object item : set) {
                    sxp.add(jelly(item));
                }
            } else if (value instanceof Collection<?> list) {
                sxp.add(LIST);
                for (Object item : list) {
                    sxp.add(jelly(item));
                }
            } else if (value instanceof Object[] array) {
                sxp.add(LIST);
                for (Object item : array) {
                    sxp.add(jelly(item));
                }
            } else if (value instanceof Map<?, ?> map) {
                sxp.add(DICTIONARY);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sxp.add(List.of(jelly(e.getKey()), jelly(e.getValue())));
                }
            } else {
                sxp.add(copyName);
                sxp.add(state(value));
            }
            return preserve(value, sxp);
        }

        /** Turns the first occurrence into [reference id ...]; returns the dereference. */
        private List<Object> cook(Object value) {
            List<Object> first = preserved.get(value);
            List<Object> inner = new ArrayList<>(first);
            int refId = nextRefId++;
            first.clear();
            first.add(REFERENCE);
            first.add(refId);
            first.add(inner);
            List<Object> deref = List.of(DEREFERENCE, refId);
            cooked.put(value, deref);
            return deref;
        }

        private Object preserve(Object value, List<Object> sxp) {
            if (cooked.containsKey(value)) {
                List<Object> first = preserved.get(value);
                first.set(2, sxp);
                return first;
            }
            preserved.put(value, sxp);
            return sxp;
        }

        private Object state(Object copy) {
            List<Object> dict = new ArrayList<>();
            dict.add(DICTIONARY);
            try {
                if (copy.getClass().isRecord()) {
                    for (RecordComponent c : copy.getClass().getRecordComponents()) {
                        var accessor = c.getAccessor();
                        accessor.setAccessible(true);
                        dict.add(List.of(unicode(c.getName()), jelly(accessor.invoke(copy))));
                    }
                } else {
                    for (Field f : registry.fieldsOf(copy.getClass())) {
                        dict.add(List.of(unicode(f.getName()), jelly(f.get(copy))));
                    }
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new ForbiddenTypeException("cannot read the state of "
                        + copy.getClass().getName() + ": " + e);
            }
            return dict;
        }
    }

    /** State of one deserialization: the reference ids seen so far. */
    private final class Unjellier {
        // Made on the first reference: a call of plain values allocates neither.
        private Map<Integer, Object> references = Map.of();
        private Set<Integer> pending = Set.of();
        private long hashWork;

        Object unjelly(Object sexp) {
            if (sexp instanceof List<?> list) {
                return unjellyList(list);
            }
            if (sexp instanceof String atom) {
                return atom.getBytes(US_ASCII); // a vocabulary word in value position: bytes
            }
            return sexp; // int, long, BigInteger, Double, byte[]
        }

        private Object unjellyList(List<?> list) {
            String head = atom(list, 0);
            switch (head) {
                case NONE:
                    return null;
                case UNICODE:
                    return new String(bytesAt(list, 1), UTF_8);
                case BOOLEAN: {
                    String b = new String(bytesAt(list, 1), US_ASCII);
                    if (!b.equals("true") && !b.equals("false")) {
                        throw new ProtocolException("boolean " + b + ": expected true/false");
                    }
                    return b.equals("true");
                }
                case LIST:
                case TUPLE:
                    return fillList(new ArrayList<>(Math.min(list.size(), 64)), list);
                case SET:
                case FROZENSET: {
                    List<Object> items = fillList(new ArrayList<>(), list);
                    for (Object item : items) {
                        chargeHashing(item);
                    }
                    return new LinkedHashSet<>(items);
                }
                case DICTIONARY:
                    return fillDict(new LinkedHashMap<>(), list);
                case REFERENCE:
                    return reference(list);
                case DEREFERENCE: {
                    int id = intAt(list, 1);
                    Object target = references.get(id);
                    if (target == null && !references.containsKey(id)) {
                        throw new ProtocolException("dereference " + id + " before its reference:"
                                + (pending.contains(id) ? " a cyclic copy cannot be built" : "")
                                + " not valid Jelly");
                    }
                    return target;
                }
                case REMOTE:
                    return peer.importReference(luidAt(list, 1));
                case LOCAL: {
                    Object luid = luidAt(list, 1);
                    Object local = peer.localObject(luid);
                    if (local == null) {
                        throw new ProtocolException("local reference " + luid
                                + " names no object exported on this connection");
                    }
                    return local;
                }
                case CopiedFailure.PYTHON_NAME:
                    return failure(list);
                default:
                    return copy(head, list);
            }
        }

        private Object reference(List<?> list) {
            int id = intAt(list, 1);
            if (references.containsKey(id) || pending.contains(id)) {
                throw new ProtocolException("reference " + id + " defined twice: not valid Jelly");
            }
            if (!(references instanceof HashMap)) {
                references = new HashMap<>();
                pending = new java.util.HashSet<>();
            }
            if (list.size() < 3 || !(list.get(2) instanceof List<?> inner)) {
                throw new ProtocolException("reference " + id + " without a value");
            }
            String innerHead = atom(inner, 0);
            // Containers are registered before their contents so a cycle finds them.
            switch (innerHead) {
                case LIST, TUPLE -> {
                    List<Object> target = new ArrayList<>();
                    references.put(id, target);
                    return fillList(target, inner);
                }
                case DICTIONARY -> {
                    Map<Object, Object> target = new LinkedHashMap<>();
                    references.put(id, target);
                    return fillDict(target, inner);
                }
                default -> {
                    pending.add(id);
                    Object value = unjelly(inner);
                    pending.remove(id);
                    references.put(id, value);
                    return value;
                }
            }
        }

        /**
         * Counts what hashing {@code item} will visit, before anything is hashed; refuses a
         * set whose elements would cost more than {@link #MAX_HASH_WORK} in one message.
         */
        private void chargeHashing(Object item) {
            java.util.ArrayDeque<Object> todo = new java.util.ArrayDeque<>();
            todo.push(item == null ? NONE : item);
            while (!todo.isEmpty()) {
                Object o = todo.pop();
                if (++hashWork > MAX_HASH_WORK) {
                    throw new LimitExceededException("a set whose elements would take more "
                            + "than " + MAX_HASH_WORK + " steps to hash (shared or cyclic "
                            + "tuples inside a set): refused before hashing");
                }
                if (o instanceof Collection<?> c) {
                    c.forEach(x -> todo.push(x == null ? NONE : x));
                } else if (o instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> {
                        todo.push(k == null ? NONE : k);
                        todo.push(v == null ? NONE : v);
                    });
                } else if (o.getClass().isRecord()) {
                    for (RecordComponent rc : o.getClass().getRecordComponents()) {
                        Object v = component(rc, o);
                        todo.push(v == null ? NONE : v);
                    }
                }
            }
        }

        private static Object component(RecordComponent rc, Object record) {
            try {
                var accessor = rc.getAccessor();
                accessor.setAccessible(true);
                return accessor.invoke(record);
            } catch (ReflectiveOperationException e) {
                throw new ForbiddenTypeException("cannot read " + rc.getName() + " of "
                        + record.getClass().getName() + ": " + e);
            }
        }

        private List<Object> fillList(List<Object> target, List<?> list) {
            for (int i = 1; i < list.size(); i++) {
                target.add(unjelly(list.get(i)));
            }
            return target;
        }

        private Map<Object, Object> fillDict(Map<Object, Object> target, List<?> list) {
            for (int i = 1; i < list.size(); i++) {
                if (!(list.get(i) instanceof List<?> pair) || pair.size() != 2) {
                    throw new ProtocolException("a dictionary item is not a [key, value] pair");
                }
                Object key = unjelly(pair.get(0));
                if (key instanceof byte[] bytes) {
                    key = new String(bytes, UTF_8); // bytes keys cannot be looked up in Java
                } else if (key != null && !(key instanceof String) && !(key instanceof Number)
                        && !(key instanceof Boolean)) {
                    throw new ForbiddenTypeException("dictionary key of type "
                            + Values.describe(key) + ": only str, bytes, int, bool and None "
                            + "keys are accepted");
                }
                target.put(key, unjelly(pair.get(1)));
            }
            return target;
        }

        private CopiedFailure failure(List<?> list) {
            Object state = list.size() > 1 ? unjelly(list.get(1)) : null;
            if (!(state instanceof Map<?, ?> map)) {
                throw new ProtocolException("a CopyableFailure without a state dictionary");
            }
            Object type = map.get("type");
            Object value = map.get("value");
            Object tb = map.get("traceback");
            String typeName = type instanceof byte[] b ? new String(b, UTF_8)
                    : type == null ? "builtins.Exception" : type.toString();
            String traceback = tb == null ? null
                    : tb instanceof byte[] b ? new String(b, UTF_8) : tb.toString();
            if (CopiedFailure.NO_TRACEBACK.equals(traceback)) {
                traceback = null;
            }
            String message = value == null ? null
                    : value instanceof byte[] b ? new String(b, UTF_8) : value.toString();
            return new CopiedFailure(typeName, message, traceback);
        }

        private Object copy(String pythonName, List<?> list) {
            Class<?> type = registry.copyType(pythonName);
            if (type == null) {
                throw new ForbiddenTypeException("a copy of Python class " + pythonName
                        + " arrived but no Java class is registered for it: register one with "
                        + "builder().registerCopy(\"" + pythonName + "\", YourClass.class)");
            }
            Object state = list.size() > 1 ? unjelly(list.get(1)) : null;
            if (!(state instanceof Map<?, ?> map)) {
                throw new ProtocolException("the copy of " + pythonName
                        + " has no state dictionary");
            }
            return build(type, map, pythonName);
        }

        private Object build(Class<?> type, Map<?, ?> state, String pythonName) {
            try {
                if (type.isRecord()) {
                    RecordComponent[] components = type.getRecordComponents();
                    Object[] args = new Object[components.length];
                    for (int i = 0; i < components.length; i++) {
                        args[i] = Values.convert(state.get(components[i].getName()),
                                components[i].getType(),
                                "field " + components[i].getName() + " of " + pythonName);
                    }
                    Constructor<?> c = CopyRegistry.canonical(type);
                    return c.newInstance(args);
                }
                Constructor<?> c = type.getDeclaredConstructor();
                c.setAccessible(true);
                Object instance = c.newInstance();
                for (Field f : registry.fieldsOf(type)) {
                    if (state.containsKey(f.getName())) {
                        f.set(instance, Values.convert(state.get(f.getName()), f.getType(),
                                "field " + f.getName() + " of " + pythonName));
                    }
                }
                return instance;
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new ForbiddenTypeException("cannot build " + type.getName() + " from the "
                        + "copy of " + pythonName + ": " + cause);
            }
        }

        private String atom(List<?> list, int i) {
            if (list.isEmpty()) {
                throw new ProtocolException("an empty list is not a Jelly expression");
            }
            Object o = list.get(i);
            if (o instanceof String s) {
                return s;
            }
            if (o instanceof byte[] b && b.length <= 256) {
                return new String(b, US_ASCII);
            }
            throw new ProtocolException("a Jelly list must start with a type name, got "
                    + Values.describe(o));
        }

        private byte[] bytesAt(List<?> list, int i) {
            Object o = i < list.size() ? list.get(i) : null;
            if (o instanceof byte[] b) {
                return b;
            }
            if (o instanceof String s) {
                return s.getBytes(US_ASCII);
            }
            throw new ProtocolException("expected a byte string in " + atom(list, 0));
        }

        private int intAt(List<?> list, int i) {
            Object o = i < list.size() ? list.get(i) : null;
            if (o instanceof Integer n) {
                return n;
            }
            throw new ProtocolException("expected an int in " + atom(list, 0));
        }

        private Object luidAt(List<?> list, int i) {
            Object o = i < list.size() ? list.get(i) : null;
            return Luids.normalize(o);
        }
    }
}
