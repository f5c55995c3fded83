package dev.jpb.benchmarks;

import dev.jpb.Referenceable;

/** W4's client-side object, passed by reference to {@link AddRoot#remote_withCallback}. */
public final class PingCallback extends Referenceable {
    /** Returns {@code a + 1}, as the floor's and the grpc-java baseline's callbacks do. */
    public int remote_ping(int a) {
        return a + 1;
    }
}
