package dev.jpb.internal.twisted;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.DeadReferenceException;
import dev.jpb.PbException;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import java.lang.ref.Cleaner;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/** A proxy for one object of the Twisted peer (PB's RemoteReference). Thread-safe. */
final class TwistedRemoteReference implements RemoteReference {
    private final TwistedBroker broker;
    private final Object luid;
    private final List<Consumer<? super RemoteReference>> listeners =
            new CopyOnWriteArrayList<>();
    private volatile boolean released;
    private volatile Cleaner.Cleanable cleanable; // written once, right after construction
    private boolean hooked;                       // guarded by "this"

    TwistedRemoteReference(TwistedBroker broker, Object luid) {
        this.broker = broker;
        this.luid = luid;
    }

    void cleanable(Cleaner.Cleanable c) {
        this.cleanable = c;
    }

    Object luid() {
        return luid;
    }

    TwistedBroker broker() {
        return broker;
    }

    @Override
    public <T> CompletableFuture<T> callRemote(String name, Object... args) {
        requireNonNull(name, "name");
        return call(name, args == null ? new Object[] {null} : args, Map.of(), true);
    }

    /** Calls with keyword arguments (PB's {@code **kw}). */
    <T> CompletableFuture<T> call(String name, Object[] args, Map<String, ?> kwargs,
            boolean answer) {
        if (released) {
            return CompletableFuture.failedFuture(new DeadReferenceException(
                    "this reference was released; ask its owner for a new one"));
        }
        return broker.call(luid, name, args, kwargs, answer);
    }

    @Override
    public void callRemoteOnly(String name, Object... args) {
        requireNonNull(name, "name");
        call(name, args == null ? new Object[] {null} : args, Map.of(), false);
    }

    @Override
    public <T> T as(Class<T> iface) {
        requireNonNull(iface, "iface");
        if (!iface.isInterface()) {
            throw new IllegalArgumentException("iface: " + iface.getName()
                    + " (expected: an interface)");
        }
        InvocationHandler handler = (proxy, method, args) -> invokeTyped(proxy, method, args);
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface},
                handler));
    }

    private Object invokeTyped(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "TwistedProxy[" + luid + "]";
            };
        }
        CompletableFuture<Object> f = callRemote(method.getName(),
                args == null ? new Object[0] : args);
        if (CompletionStage.class.isAssignableFrom(method.getReturnType())) {
            return f;
        }
        Object result;
        try {
            result = f.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof PbException ? cause
                    : new RemoteCallException(cause.getClass().getName(), cause.getMessage(),
                            null);
        }
        if (method.getReturnType() == void.class) {
            return null;
        }
        return Values.convert(result, method.getReturnType(),
                "the result of " + method.getName());
    }

    @Override
    public Connection connection() {
        return broker.connection();
    }

    @Override
    public boolean isConnected() {
        return !released && broker.isOpen();
    }

    @Override
    public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        requireNonNull(listener, "listener");
        listeners.add(listener);
        synchronized (this) {
            if (hooked) {
                return;
            }
            hooked = true;
        }
        broker.closeFuture().whenCompleteAsync((v, t) -> {
            for (Consumer<? super RemoteReference> l : listeners) {
                l.accept(this);
            }
        }, broker.answerExecutor());
    }

    @Override
    public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        listeners.remove(listener);
    }

    @Override
    public void release() {
        released = true;
        Cleaner.Cleanable c = cleanable;
        if (c != null) {
            c.clean();
        }
    }

    @Override
    public String toString() {
        return "TwistedRemoteReference[" + luid + " on " + broker.connection().id() + "]";
    }
}
