package dev.jpb.internal.dispatch;

import static java.util.Objects.requireNonNull;

import com.google.common.primitives.Primitives;
import dev.jpb.BadArgumentException;
import dev.jpb.NonBlocking;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * One callable prefixed method: converts the arguments of a call to the declared parameter
 * types and invokes the method through a {@link MethodHandle} made once. Immutable and
 * thread-safe; obtained from {@link MethodTable#find}.
 */
public final class Invoker {
    private static final Object[] NO_ARGS = {};
    private static final MethodType SPREAD_TYPE =
            MethodType.methodType(Object.class, Object.class, Object[].class);

    private final Method method;
    private final String name;
    private final int arity;
    private final boolean nonBlocking;
    // (Object target, Object[] args) -> Object; null for a void method
    private final MethodHandle spreader;
    // Per parameter: the type an argument must be an instance of (primitives as wrappers).
    private final Class<?>[] accepted;
    private final boolean[] primitive;
    // Whether Widening may turn another boxed primitive into accepted[i].
    private final boolean[] widenable;

    private Invoker(Method method, String name, MethodHandle spreader) {
        this.method = method;
        this.name = name;
        this.spreader = spreader;
        this.nonBlocking = method.isAnnotationPresent(NonBlocking.class);
        Class<?>[] params = method.getParameterTypes();
        this.arity = params.length;
        this.accepted = new Class<?>[arity];
        this.primitive = new boolean[arity];
        this.widenable = new boolean[arity];
        for (int i = 0; i < arity; i++) {
            accepted[i] = Primitives.wrap(params[i]);
            primitive[i] = params[i].isPrimitive();
            widenable[i] = accepted[i] == Short.class || accepted[i] == Integer.class
                    || accepted[i] == Long.class || accepted[i] == Float.class
                    || accepted[i] == Double.class;
        }
    }

    /**
     * Makes the invoker, unreflecting {@code method} once.
     *
     * @throws IllegalArgumentException if the method cannot be made accessible (a class in a
     *     named module whose package is not opened to jpb)
     */
    static Invoker create(Method method, String name) {
        MethodHandle handle = unreflect(method);
        MethodHandle spreader = handle
                .asType(MethodType.genericMethodType(method.getParameterCount() + 1))
                .asSpreader(Object[].class, method.getParameterCount())
                .asType(SPREAD_TYPE);
        return new Invoker(method, name, spreader);
    }

    private static MethodHandle unreflect(Method method) {
        try {
            return MethodHandles.publicLookup().unreflect(method);
        } catch (IllegalAccessException notPublicEnough) {
            // A public method of a non-public class (private nested, anonymous, package-private
            // implementation of a public interface) is still meant to be callable.
        }
        if (!method.trySetAccessible()) {
            throw new IllegalArgumentException("cannot call " + describe(method)
                    + ": its class is not accessible to jpb; make the class public or open its "
                    + "package to module dev.jpb");
        }
        try {
            return MethodHandles.lookup().unreflect(method);
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("cannot call " + describe(method), e);
        }
    }

    /** Returns the method this invoker calls. */
    public Method method() {
        return method;
    }

    /** Returns the method's name without its prefix, as callers name it. */
    public String name() {
        return name;
    }

    /** Returns the number of parameters the method declares. */
    public int arity() {
        return arity;
    }

    /** Returns whether the method is marked {@link NonBlocking}, fit for an I/O thread. */
    public boolean isNonBlocking() {
        return nonBlocking;
    }

    /**
     * Invokes the method on {@code target}. Each argument is passed as is when it already has
     * the declared type, unboxed for a primitive parameter, or widened as Java would widen a
     * primitive (an {@code Integer} for a {@code long}, {@code Long} or {@code double}
     * parameter). {@code args} is not modified.
     *
     * @param target an instance of the method's class
     * @param args   the arguments, one per parameter; {@code null} means none
     * @return the method's result, {@code null} for a void method; a returned
     *     {@code CompletionStage} is returned as it is
     * @throws BadArgumentException if an argument cannot be converted to its parameter's type
     * @throws Throwable            whatever the method throws, unwrapped
     */
    public Object invoke(Object target, Object[] args) throws Throwable {
        requireNonNull(target, "target");
        Object[] actual = args == null ? NO_ARGS : args;
        if (actual.length != arity) {
            throw new IllegalArgumentException(describe(method) + " takes " + arity
                    + " arguments, got " + actual.length);
        }
        return (Object) spreader.invokeExact(target, convert(actual));
    }

    // Copies on the first argument that needs converting, so the common case allocates nothing.
    private Object[] convert(Object[] args) {
        Object[] out = args;
        for (int i = 0; i < arity; i++) {
            Object arg = args[i];
            if (arg == null) {
                if (primitive[i]) {
                    throw badArgument(i, null);
                }
                continue;
            }
            if (accepted[i].isInstance(arg)) {
                continue;
            }
            Object widened = widenable[i] ? Widening.widen(arg, accepted[i]) : null;
            if (widened == null) {
                throw badArgument(i, arg);
            }
            if (out == args) {
                out = args.clone();
            }
            out[i] = widened;
        }
        return out;
    }

    private BadArgumentException badArgument(int index, Object arg) {
        return new BadArgumentException(method.getName() + " argument " + (index + 1)
                + ": expected " + method.getParameterTypes()[index].getTypeName() + ", got "
                + (arg == null ? "null" : arg.getClass().getTypeName()));
    }

    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName() + "/"
                + method.getParameterCount();
    }

    @Override
    public String toString() {
        return "Invoker[" + describe(method) + "]";
    }
}
