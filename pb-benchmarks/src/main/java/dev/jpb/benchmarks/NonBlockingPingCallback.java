package dev.jpb.benchmarks;

import dev.jpb.NonBlocking;
import dev.jpb.Referenceable;

/** {@link PingCallback} with its method marked {@link NonBlocking}. */
public final class NonBlockingPingCallback extends Referenceable {
    /** Returns {@code a + 1}. */
    @NonBlocking
    public int remote_ping(int a) {
        return a + 1;
    }
}
