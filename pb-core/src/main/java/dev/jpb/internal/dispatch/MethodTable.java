package dev.jpb.internal.dispatch;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import dev.jpb.NoSuchRemoteMethodException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * The public instance methods of a class whose names start with a prefix such as
 * {@code remote_}, resolved by name and arity. Immutable and thread-safe; built once per class
 * and prefix and cached.
 */
public final class MethodTable {
    // Longest caller-supplied name echoed back in an error, so a hostile peer cannot make us
    // build (and send back) huge messages.
    private static final int MAX_ECHOED_NAME = 80;

    private static final ClassValue<ConcurrentMap<String, MethodTable>> CACHE =
            new ClassValue<>() {
                @Override
                protected ConcurrentMap<String, MethodTable> computeValue(Class<?> type) {
                    return new ConcurrentHashMap<>(4);
                }
            };

    private final Class<?> type;
    private final String prefix;
    // Name without prefix -> its overloads, all of different arities (usually just one).
    private final ImmutableMap<String, Invoker[]> byName;
    // "remote_add/2, remote_echo/1", for error messages.
    private final String listing;

    private MethodTable(Class<?> type, String prefix, ImmutableMap<String, Invoker[]> byName) {
        this.type = type;
        this.prefix = prefix;
        this.byName = byName;
        this.listing = byName.values().stream()
                .flatMap(Arrays::stream)
                .map(invoker -> prefix + invoker.name() + "/" + invoker.arity())
                .sorted()
                .collect(Collectors.joining(", "));
    }

    /**
     * Returns the table of the public instance methods of {@code type} (declared or inherited)
     * named {@code prefix} followed by a non-empty name. Methods of {@code Object}, static,
     * bridge and synthetic methods are never included.
     *
     * @param type   the class whose methods are called
     * @param prefix the prefix, such as {@code "remote_"}
     * @throws IllegalArgumentException if two such methods share a name and an arity, or if the
     *     prefix is not the start of a Java identifier
     */
    public static MethodTable of(Class<?> type, String prefix) {
        requireNonNull(type, "type");
        requireNonNull(prefix, "prefix");
        ConcurrentMap<String, MethodTable> byPrefix = CACHE.get(type);
        MethodTable table = byPrefix.get(prefix);
        if (table != null) {
            return table;
        }
        checkArgument(isIdentifier(prefix, true),
                "prefix: \"%s\" (expected: the start of a Java identifier, e.g. \"remote_\")",
                prefix);
        // A failed build throws out of computeIfAbsent and caches nothing, so the error
        // repeats for every attempt to export the class.
        return byPrefix.computeIfAbsent(prefix, p -> build(type, p));
    }

    private static MethodTable build(Class<?> type, String prefix) {
        // Keyed by name and parameter types: getMethods() can list one signature more than
        // once (declared in a class and in an interface), which is one method, not an overload.
        Map<List<Object>, Method> bySignature = new LinkedHashMap<>();
        for (Method m : type.getMethods()) {
            if (m.getDeclaringClass() == Object.class
                    || !m.getName().startsWith(prefix)
                    || m.getName().length() == prefix.length()
                    || Modifier.isStatic(m.getModifiers())
                    || m.isBridge()
                    || m.isSynthetic()) {
                continue;
            }
            List<Object> signature = List.of(m.getName(), List.of(m.getParameterTypes()));
            bySignature.merge(signature, m, MethodTable::moreSpecific);
        }
        Map<String, List<Invoker>> byName = new LinkedHashMap<>();
        for (Method m : bySignature.values()) {
            String name = m.getName().substring(prefix.length());
            List<Invoker> overloads = byName.computeIfAbsent(name, n -> new ArrayList<>(1));
            for (Invoker other : overloads) {
                if (other.arity() == m.getParameterCount()) {
                    throw sameArity(type, other.method(), m);
                }
            }
            overloads.add(Invoker.create(m, name));
        }
        ImmutableMap.Builder<String, Invoker[]> table = ImmutableMap.builder();
        byName.forEach((name, overloads) -> table.put(name, overloads.toArray(new Invoker[0])));
        return new MethodTable(type, prefix, table.build());
    }

    // Either one dispatches virtually to the same code; prefer the narrower return type, then
    // the more derived declaring class, so Invoker.method() shows what actually runs.
    private static Method moreSpecific(Method a, Method b) {
        if (a.getReturnType() != b.getReturnType()) {
            return a.getReturnType().isAssignableFrom(b.getReturnType()) ? b : a;
        }
        return a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass()) ? b : a;
    }

    private static IllegalArgumentException sameArity(Class<?> type, Method a, Method b) {
        return new IllegalArgumentException(type.getName() + " has two public " + a.getName()
                + " methods taking " + arguments(a.getParameterCount()) + ": "
                + signature(a) + " and " + signature(b) + "; rename one, since remote methods "
                + "are resolved by name and number of arguments only");
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes())
                .map(Class::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * Returns the invoker of {@code prefix + name} taking {@code arity} arguments.
     *
     * @param name  the method name without the prefix
     * @param arity the number of arguments of the call
     * @throws NoSuchRemoteMethodException if there is no such method, or {@code name} is empty
     *     or not part of a Java identifier
     */
    public Invoker find(String name, int arity) {
        requireNonNull(name, "name");
        Invoker[] overloads = byName.get(name);
        if (overloads != null) {
            for (Invoker invoker : overloads) {
                if (invoker.arity() == arity) {
                    return invoker;
                }
            }
        }
        throw noSuchMethod(name, arity);
    }

    /**
     * Returns the invoker of {@code prefix + name} taking {@code arity} arguments, or null if
     * there is none.
     */
    public Invoker findOrNull(String name, int arity) {
        requireNonNull(name, "name");
        Invoker[] overloads = byName.get(name);
        if (overloads != null) {
            for (Invoker invoker : overloads) {
                if (invoker.arity() == arity) {
                    return invoker;
                }
            }
        }
        return null;
    }

    /** Returns whether the table has no methods. */
    public boolean isEmpty() {
        return byName.isEmpty();
    }

    private NoSuchRemoteMethodException noSuchMethod(String name, int arity) {
        if (!isIdentifier(name, false)) {
            return new NoSuchRemoteMethodException(type.getName() + " has no public method "
                    + "for the name \"" + escape(name) + "\", which is not a valid method name");
        }
        String shown = name.length() <= MAX_ECHOED_NAME
                ? name : name.substring(0, MAX_ECHOED_NAME) + "...";
        return new NoSuchRemoteMethodException(type.getName() + " has no public " + prefix
                + shown + " taking " + arguments(arity) + " ("
                + (listing.isEmpty() ? "it has no public " + prefix + " methods"
                        : "it has: " + listing)
                + ")");
    }

    /** Returns the class whose methods this table holds. */
    public Class<?> type() {
        return type;
    }

    @Override
    public String toString() {
        return "MethodTable[" + type.getName() + ": " + listing + "]";
    }

    private static String arguments(int count) {
        return count + (count == 1 ? " argument" : " arguments");
    }

    // Identifier-ignorable code points (controls) pass isJavaIdentifierPart but are not
    // legal in a method name we would look up.
    private static boolean isIdentifier(String s, boolean start) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            boolean ok = i == 0 && start
                    ? Character.isJavaIdentifierStart(cp)
                    : Character.isJavaIdentifierPart(cp);
            if (!ok || Character.isIdentifierIgnorable(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    // The name came from the peer: keep it short and printable in logs and answers.
    private static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && i < MAX_ECHOED_NAME; i++) {
            char c = name.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        if (name.length() > MAX_ECHOED_NAME) {
            sb.append("...");
        }
        return sb.toString();
    }
}
