package dev.jpb.benchmarks;

import dev.jpb.NonBlocking;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AddRoot} with its methods marked {@link NonBlocking}: with the default executor, jpb
 * runs them on the I/O thread that read the call whenever the connection has no other call
 * queued or running.
 */
public final class NonBlockingAddRoot extends Root {
    /** Returns {@code a + b}. */
    @NonBlocking
    public int remote_add(int a, int b) {
        return a + b;
    }

    /** Returns {@code bytes}. */
    @NonBlocking
    public byte[] remote_echo(byte[] bytes) {
        return bytes;
    }

    /** Calls {@code callback.ping(a)} and answers with its result; never waits. */
    @NonBlocking
    public CompletableFuture<Integer> remote_withCallback(RemoteReference callback, int a) {
        return callback.callRemote("ping", a);
    }
}
