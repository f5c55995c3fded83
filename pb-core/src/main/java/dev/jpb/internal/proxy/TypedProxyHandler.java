package dev.jpb.internal.proxy;

import com.google.common.primitives.Primitives;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.dispatch.Widening;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a call on a typed proxy into {@link RemoteReference#callRemote}. */
final class TypedProxyHandler implements InvocationHandler {
    private static final Object[] NO_ARGS = {};

    private final RemoteReference ref;
    private final Class<?> iface;

    TypedProxyHandler(RemoteReference ref, Class<?> iface) {
        this.ref = ref;
        this.iface = iface;
    }

    RemoteReference ref() {
        return ref;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        // Proxy hands equals/hashCode/toString over with Object as the declaring class.
        if (method.getDeclaringClass() == Object.class) {
            return invokeObjectMethod(proxy, method, args);
        }
        if (method.isDefault()) {
            return invokeDefault(proxy, method, args);
        }
        CompletableFuture<Object> answer =
                ref.callRemote(method.getName(), args == null ? NO_ARGS : args);
        Class<?> returnType = method.getReturnType();
        if (isAsync(returnType)) {
            return answer;
        }
        Object value = await(answer, method);
        return returnType == void.class ? null : adapt(value, method);
    }

    // CompletionStage, CompletableFuture and Future; Object is excluded so that a method
    // returning Object blocks for its answer like every other non-future return type.
    private static boolean isAsync(Class<?> returnType) {
        return returnType != Object.class && returnType.isAssignableFrom(CompletableFuture.class);
    }

    private Object invokeObjectMethod(Object proxy, Method method, Object[] args) {
        switch (method.getName()) {
            case "equals":
                return proxy == args[0];
            case "hashCode":
                return System.identityHashCode(proxy);
            case "toString":
                return "TypedProxy[iface=" + iface.getName() + ", ref=" + ref + "]";
            default:
                throw new AssertionError("Proxy dispatched " + method);
        }
    }

    private static Object invokeDefault(Object proxy, Method method, Object[] args)
            throws Throwable {
        try {
            return InvocationHandler.invokeDefault(proxy, method, args);
        } catch (IllegalAccessException e) {
            if (declares(method, e)) {
                throw e; // thrown by the default method itself
            }
            throw new PbException("cannot run default method " + method + ": "
                    + method.getDeclaringClass().getName() + " is not accessible to jpb; "
                    + "make it public", e);
        }
    }

    private static boolean declares(Method method, Throwable thrown) {
        for (Class<?> type : method.getExceptionTypes()) {
            if (type.isInstance(thrown)) {
                return true;
            }
        }
        return false;
    }

    private static Object await(CompletableFuture<Object> answer, Method method) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PbException("interrupted while waiting for remote_" + method.getName(), e);
        } catch (ExecutionException e) {
            Throwable cause = unwrap(e);
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new PbException("remote_" + method.getName() + " failed: " + cause, cause);
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    // Widens numbers as Java would (an Integer answer for a long method) and reports any
    // other mismatch as a PbException instead of the proxy's bare ClassCastException.
    private Object adapt(Object value, Method method) {
        Class<?> returnType = method.getReturnType();
        if (value == null) {
            if (returnType.isPrimitive()) {
                throw new PbException("remote_" + method.getName() + " answered null, which "
                        + describe(method) + " cannot return as " + returnType.getName());
            }
            return null;
        }
        Class<?> wanted = Primitives.wrap(returnType);
        if (wanted.isInstance(value)) {
            return value;
        }
        Object widened = Primitives.isWrapperType(wanted) ? Widening.widen(value, wanted) : null;
        if (widened == null) {
            throw new PbException("remote_" + method.getName() + " answered "
                    + value.getClass().getTypeName() + ", which " + describe(method)
                    + " cannot return as " + returnType.getTypeName());
        }
        return widened;
    }

    private String describe(Method method) {
        return iface.getName() + "." + method.getName();
    }
}
