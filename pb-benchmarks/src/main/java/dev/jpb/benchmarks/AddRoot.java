package dev.jpb.benchmarks;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.concurrent.CompletableFuture;

/**
 * The server object of the RPC workloads, doing the same work as the floor's and the grpc-java
 * baseline's handlers: {@code add} (W1, W2), {@code echo} (W3) and {@code withCallback} (W4).
 */
public final class AddRoot extends Root {
    /** Returns {@code a + b}. */
    public int remote_add(int a, int b) {
        return a + b;
    }

    /** Returns {@code bytes}, which arrived as a copy: the caller gets a second copy back. */
    public byte[] remote_echo(byte[] bytes) {
        return bytes;
    }

    /**
     * Calls {@code callback.ping(a)} (a {@link PingCallback} on the caller's side) and answers
     * with its result once it arrives. Returning the future frees the connection's turn at once
     * instead of holding a thread while the callback is out.
     */
    public CompletableFuture<Integer> remote_withCallback(RemoteReference callback, int a) {
        return callback.callRemote("ping", a);
    }
}
