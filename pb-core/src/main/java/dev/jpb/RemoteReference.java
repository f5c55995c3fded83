package dev.jpb;

import dev.jpb.internal.proxy.LocalDeadlines;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A reference to an object that lives on the other end of a connection (PB's
 * {@code RemoteReference}). Receiving the same remote object twice yields the same instance.
 *
 * <p>Thread-safe. When the last strong reference to this proxy is dropped, the peer is told
 * (in batches) so that it can release its object; {@link #release()} does so at once.
 */
public interface RemoteReference {
    /**
     * Calls {@code remote_<name>} on the remote object.
     *
     * <p>Never throws: every failure (the connection is gone, an argument cannot be sent, the
     * remote method threw) arrives through the returned future. A blocking {@code get()} or
     * {@code join()} on it from inside a {@code remote_} method gives up that connection's
     * turn, so nested and re-entrant calls cannot deadlock. Arguments are serialized on the
     * connection's I/O thread shortly after this returns: do not mutate them until then (in
     * doubt, until the future completes). They are not serialized before it returns because
     * encoding defines the connection's type names in send order, which the I/O thread owns
     * (encoding on the caller's thread needs a lock shared with every other sender), and
     * because the caller's thread is then free at once. Measured (docs/performance.md,
     * "Encoding on the caller": the same code encoding on the caller's thread, behind an
     * internal switch, 3 forks each in one quiet sitting): W1's median latency 12 % higher
     * (73.1 against 65.2 µs), W3's (16 KiB) 8 % higher, W2's pipelined rate the same (1.01),
     * 2 to 4 % more allocation per call; so the I/O thread encodes.
     *
     * <p>The futures of one connection complete one at a time, in the order their answers
     * arrived, on the executor; or, when a thread is blocked in {@code get()} or {@code join()}
     * on the future, on that thread. Callbacks that block on anything but a jpb future hold up
     * the connection's later answers.
     *
     * <p>{@code cancel(true)} on the returned future cancels the call on the callee too: a
     * call that has not started there is not run, a running one sees {@link
     * CallContext#isCancelled()}, a {@code CompletableFuture} it returned is cancelled, and so
     * are the calls it made while serving this one. Whatever the callee still answers is
     * dropped. Calls made while serving an inbound call inherit its deadline and its
     * cancellation: on the thread that serves it, or on any thread inside {@link
     * CallContext#run}/{@link CallContext#wrap} of the context captured while serving it.
     *
     * <p>Past {@link Limits#maxQueuedOutboundBytes()} waiting to be written to the peer (it
     * stopped reading), new calls fail at once with {@link LimitExceededException}.
     *
     * @param name the method name without its {@code remote_} prefix
     * @param args the arguments; copies, references or safe JDK values
     * @param <T>  the expected result type
     * @return a future completed with the result, off the I/O threads
     */
    <T> CompletableFuture<T> callRemote(String name, Object... args);

    /**
     * Calls {@code remote_<name>} without asking for an answer; failures are only logged.
     *
     * @param name the method name without its {@code remote_} prefix
     * @param args the arguments
     */
    void callRemoteOnly(String name, Object... args);

    /**
     * Returns a typed proxy: calling {@code m(args)} on it calls {@code remote_m(args)}. A method
     * returning a {@link java.util.concurrent.CompletionStage} is asynchronous; any other
     * return type blocks the caller until the answer arrives, and remote failures are thrown
     * as the unchecked {@link PbException} subclasses.
     *
     * @param iface an interface
     * @param <T>   the interface type
     * @return a proxy implementing {@code iface}
     * @throws IllegalArgumentException if {@code iface} is not an interface
     */
    <T> T as(Class<T> iface);

    /**
     * Returns a view of this reference whose calls carry a deadline {@code timeout} from the
     * moment each call is made: its future fails with {@link DeadlineExceededException} once
     * the deadline passes without an answer. The deadline travels with the call (as the time
     * left, never a wall-clock instant), so the callee does not start a call whose deadline
     * passed, sees the time left in {@link CallContext#timeRemaining()}, and its own nested
     * calls inherit it. Typed proxies of the view ({@code ref.withTimeout(d).as(I.class)})
     * carry it too. {@code callRemoteOnly} through the view is dropped if it cannot be sent
     * before the deadline. The view shares everything else (connection, release, listeners)
     * with this reference; sending it sends this reference.
     *
     * <p>The default implementation enforces the deadline locally only; jpb's own references
     * send it to the peer.
     *
     * @param timeout a positive duration
     * @return a view whose calls carry the deadline
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     */
    default RemoteReference withTimeout(Duration timeout) {
        return LocalDeadlines.view(this, timeout);
    }

    /** {@return the connection this reference travels over} */
    Connection connection();

    /** {@return whether the connection is open and this reference has not been released} */
    boolean isConnected();

    /**
     * Registers a listener run once, off the I/O threads, when the connection is lost. A
     * listener added after the loss runs at once.
     *
     * @param listener receives this reference
     */
    void notifyOnDisconnect(Consumer<? super RemoteReference> listener);

    /**
     * Removes a listener added with {@link #notifyOnDisconnect}; does nothing if absent.
     *
     * @param listener the listener to remove
     */
    void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener);

    /**
     * Drops this reference now instead of waiting for garbage collection; later calls through
     * it fail with {@link DeadReferenceException}. Idempotent.
     */
    void release();
}
