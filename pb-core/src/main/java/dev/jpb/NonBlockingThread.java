package dev.jpb;

import static java.util.Objects.requireNonNull;

/**
 * Marks threads that must never block on a jpb call, such as a UI toolkit's event thread:
 * there, {@code get}, {@code get(timeout, unit)} and {@code join} on a jpb future that is not
 * done throw {@link BlockingCallException} at once, with the advice given here, instead of
 * freezing the thread until the answer comes. jpb refuses it on Netty event loops already;
 * this extends the same refusal to threads the application names. A future that is done, and
 * a zero-timeout poll, still answer on a marked thread.
 *
 * <pre>{@code
 * Platform.runLater(() -> NonBlockingThread.markCurrent("this is the JavaFX Application"
 *         + " Thread; compose with thenAccept/whenComplete instead"));
 * }</pre>
 *
 * <p>The mark belongs to the thread (a thread-local): mark it from the thread itself.
 */
public final class NonBlockingThread {
    // null: an ordinary thread; else the advice that ends the refusal's message
    private static final ThreadLocal<String> ADVICE = new ThreadLocal<>();

    private NonBlockingThread() {
    }

    /**
     * Marks the current thread: blocking on a jpb future here throws
     * {@link BlockingCallException}. Marking it again replaces the advice.
     *
     * @param advice what to do instead, ending the exception's message (e.g. "compose with
     *     thenAccept/whenComplete; their callbacks run on this thread")
     */
    public static void markCurrent(String advice) {
        ADVICE.set(requireNonNull(advice, "advice"));
    }

    /** Removes the current thread's mark, if it has one. */
    public static void unmarkCurrent() {
        ADVICE.remove();
    }

    /** {@return whether the current thread is marked} */
    public static boolean isCurrentMarked() {
        return ADVICE.get() != null;
    }

    /**
     * Throws if the current thread is marked; jpb's futures call it before they would block.
     *
     * @throws BlockingCallException if the current thread is marked, naming it and saying what
     *     to do instead
     */
    public static void refuseToBlock() {
        String advice = ADVICE.get();
        if (advice != null) {
            throw new BlockingCallException("blocking on a jpb call on "
                    + Thread.currentThread().getName() + " is refused: waiting here would"
                    + " freeze this thread until the answer comes; " + advice);
        }
    }
}
