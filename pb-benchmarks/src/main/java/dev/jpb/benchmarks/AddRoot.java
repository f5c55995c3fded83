package dev.jpb.benchmarks;

import dev.jpb.Root;

/** The server object of the RPC workloads: the same work the floor's handler does. */
public final class AddRoot extends Root {
    /** Returns {@code a + b}. */
    public int remote_add(int a, int b) {
        return a + b;
    }
}
