package dev.jpb.twisted;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.internal.twisted.CurrentConnection;
import dev.jpb.internal.twisted.Keywords;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** What is specific to Twisted PB peers beyond {@link RemoteReference}. */
public final class TwistedPb {
    private TwistedPb() {
    }

    /**
     * Returns the connection whose call the current thread is serving: the Twisted-wire
     * counterpart of {@code CallContext.current().connection()}, which only knows jpb's own
     * connections.
     *
     * @return the Twisted PB connection of the call being served
     * @throws IllegalStateException outside a {@code remote_} method called over Twisted PB
     */
    public static Connection currentConnection() {
        Connection c = CurrentConnection.get();
        if (c == null) {
            throw new IllegalStateException("TwistedPb.currentConnection() is only available "
                    + "inside a remote_ method called by a Twisted PB peer");
        }
        return c;
    }

    /**
     * Calls {@code remote_<name>(*args, **kwargs)} on a Python object, for methods that take
     * keyword arguments.
     *
     * @param ref    a reference obtained over Twisted PB
     * @param name   the method name without {@code remote_}
     * @param kwargs keyword arguments, by name
     * @param args   positional arguments
     * @param <T>    the type of the answer
     * @return the answer, as {@link RemoteReference#callRemote}
     * @throws IllegalArgumentException if {@code ref} is not a Twisted PB reference
     */
    public static <T> CompletableFuture<T> callRemote(RemoteReference ref, String name,
            Map<String, ?> kwargs, Object... args) {
        requireNonNull(ref, "ref");
        requireNonNull(name, "name");
        requireNonNull(kwargs, "kwargs");
        return Keywords.call(ref, name, kwargs, args);
    }
}
