package dev.jpb;

import static java.util.Objects.requireNonNull;

import dev.jpb.internal.broker.CallScope;
import dev.jpb.internal.broker.CurrentCall;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What a {@code remote_} method can learn about the call it is serving, such as which
 * connection made it.
 *
 * <p>Calls a {@code remote_} method makes on the thread serving it inherit the call's deadline
 * and cancellation. Work it continues on another thread (a {@code CompletableFuture} stage,
 * an executor task) does not, unless it runs inside the context captured while serving:
 *
 * <pre>{@code
 * public CompletableFuture<Integer> remote_total(RemoteReference store) {
 *     CallContext context = CallContext.current();          // on the serving thread
 *     return loadAsync().thenCompose(context.wrap(rows ->  // on whatever thread completes it
 *             store.callRemote("sum", rows)));            // inherits deadline and cancel
 * }
 * }</pre>
 */
public final class CallContext {
    private final Connection connection;
    private final CallScope scope; // null: a ROOT request, or a call served without one

    private CallContext(Connection connection, CallScope scope) {
        this.connection = requireNonNull(connection, "connection");
        this.scope = scope;
    }

    /**
     * Returns the context of the call the current thread is serving.
     *
     * @return the current call's context
     * @throws IllegalStateException outside a {@code remote_} method
     */
    public static CallContext current() {
        Connection connection = CurrentCall.connection();
        if (connection == null) {
            throw new IllegalStateException(
                    "CallContext.current() is only available inside a remote_ method");
        }
        return new CallContext(connection, CurrentCall.scope());
    }

    /** {@return the connection the call arrived on} */
    public Connection connection() {
        return connection;
    }

    /**
     * Returns whether the caller cancelled this call ({@code future.cancel(true)}), or its
     * deadline passed. A long-running method checks it to stop early; what it still returns
     * is dropped by the caller. Thread-safe: the context may be handed to other threads.
     *
     * @return whether the call should stop
     */
    public boolean isCancelled() {
        return scope != null && scope.isCancelled();
    }

    /**
     * Returns what is left of the caller's deadline ({@link RemoteReference#withTimeout}),
     * measured from when the call arrived here: the caller sends the time left, never a
     * wall-clock instant, so the two clocks need not agree; the time the call spent on the
     * wire is not subtracted. Zero once it has passed; empty if the caller set none.
     *
     * @return the time left, if the call has a deadline
     */
    public Optional<Duration> timeRemaining() {
        return scope == null ? Optional.empty() : scope.timeRemaining();
    }

    /**
     * Runs {@code task} on the current thread inside this context: {@link #current()} returns
     * it, and calls {@code task} makes inherit this call's remaining deadline and are cancelled
     * with it, as if made on the thread that served the call. What was current before is
     * restored afterwards. Thread-safe: a context may be run on many threads, also after its
     * call was answered (its deadline and cancellation then still hold as they are).
     *
     * @param task what to run
     */
    public void run(Runnable task) {
        requireNonNull(task, "task");
        CurrentCall.runIn(connection, scope, task);
    }

    /**
     * Returns what {@code supplier} returns, run as {@link #run} runs a task.
     *
     * @param supplier what to run
     * @param <T> the result's type
     * @return the supplier's result
     */
    public <T> T call(Supplier<T> supplier) {
        requireNonNull(supplier, "supplier");
        Object[] result = new Object[1];
        CurrentCall.runIn(connection, scope, () -> result[0] = supplier.get());
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /**
     * Returns {@code task} bound to this context: wherever it runs, it runs as {@link #run}
     * does. For executor tasks and {@code thenRun} stages.
     *
     * @param task the task to bind
     * @return the bound task
     */
    public Runnable wrap(Runnable task) {
        requireNonNull(task, "task");
        return () -> run(task);
    }

    /**
     * Returns {@code function} bound to this context: wherever it runs, it runs as {@link #run}
     * does. For {@code thenApply} and {@code thenCompose} stages.
     *
     * @param function the function to bind
     * @param <T> the argument's type
     * @param <R> the result's type
     * @return the bound function
     */
    public <T, R> Function<T, R> wrap(Function<T, R> function) {
        requireNonNull(function, "function");
        return t -> call(() -> function.apply(t));
    }
}
