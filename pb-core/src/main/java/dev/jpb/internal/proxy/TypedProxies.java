package dev.jpb.internal.proxy;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import java.lang.reflect.Proxy;

/** Makes the typed proxies returned by {@link RemoteReference#as(Class)}. */
public final class TypedProxies {
    private TypedProxies() {
    }

    /**
     * Returns a proxy implementing {@code iface} whose method {@code m(args)} calls
     * {@code ref.callRemote("m", args)}. A method returning {@code CompletionStage},
     * {@code CompletableFuture} or {@code Future} returns the call's future; any other method
     * blocks the calling thread until the answer arrives: unchecked failures are thrown as they
     * are, checked ones wrapped in {@link dev.jpb.PbException}, and numeric answers widened to
     * the return type as Java would. Default methods run locally, as do {@code equals}
     * (identity), {@code hashCode} and {@code toString}. The proxy is thread-safe if
     * {@code ref} is.
     *
     * @param ref   the reference calls go through
     * @param iface the interface to implement; its class loader defines the proxy class
     * @throws IllegalArgumentException if {@code iface} is not an interface, or
     *     {@link Proxy#newProxyInstance} refuses it (a sealed or hidden interface)
     */
    public static <T> T create(RemoteReference ref, Class<T> iface) {
        requireNonNull(ref, "ref");
        requireNonNull(iface, "iface");
        checkArgument(iface.isInterface(), "%s is not an interface", iface.getName());
        Object proxy = Proxy.newProxyInstance(
                iface.getClassLoader(), new Class<?>[] {iface}, new TypedProxyHandler(ref, iface));
        return iface.cast(proxy);
    }

    /**
     * Returns the reference behind a typed proxy made by {@link #create}, so that the proxy can
     * be sent over the wire as that reference.
     *
     * @param proxy a typed proxy
     * @throws PbException if {@code proxy} is not a typed proxy made by jpb (for example some
     *     other {@link Proxy}), since only jpb references can be sent back to their peer
     */
    public static RemoteReference referenceOf(Object proxy) {
        requireNonNull(proxy, "proxy");
        if (Proxy.isProxyClass(proxy.getClass())
                && Proxy.getInvocationHandler(proxy) instanceof TypedProxyHandler handler) {
            return handler.ref();
        }
        // Not proxy.toString(): a foreign proxy's handler would run.
        throw new PbException("cannot send an instance of " + proxy.getClass().getName()
                + ": it is a dynamic proxy but not a jpb typed proxy (RemoteReference.as), "
                + "and cannot be sent by copy or by reference");
    }
}
