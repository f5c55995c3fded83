package dev.jpb.internal.twisted;

import dev.jpb.RemoteReference;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Entry point for calls with keyword arguments from the public package. */
public final class Keywords {
    private Keywords() {
    }

    /** Calls with keyword arguments; see {@code TwistedPb.callRemote}. */
    public static <T> CompletableFuture<T> call(RemoteReference ref, String name,
            Map<String, ?> kwargs, Object[] args) {
        if (!(ref instanceof TwistedRemoteReference t)) {
            throw new IllegalArgumentException("ref: " + ref + " (expected: a reference "
                    + "obtained over Twisted PB)");
        }
        return t.call(name, args == null ? new Object[] {null} : args, Map.copyOf(kwargs),
                true);
    }
}
