package dev.jpb.router;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * One call routed to a procedure this client registered.
 *
 * <p>{@link #interrupted()} completes when the caller cancels (mode {@code kill} or
 * {@code killnowait}) or the call's timeout passes; a long-running handler should stop then.
 */
public final class Invocation {
    private final String procedure;
    private final List<Object> args;
    private final Map<String, Object> kwargs;
    private final OptionalLong caller;
    private final CompletableFuture<CancelMode> interrupted = new CompletableFuture<>();

    Invocation(String procedure, List<Object> args, Map<String, Object> kwargs,
            OptionalLong caller) {
        this.procedure = procedure;
        this.args = args;
        this.kwargs = kwargs;
        this.caller = caller;
    }

    /** {@return the procedure called (for pattern registrations, the concrete one)} */
    public String procedure() {
        return procedure;
    }

    /** {@return the positional arguments (never null)} */
    public List<Object> args() {
        return args;
    }

    /**
     * Returns positional argument {@code i}.
     *
     * @param i the index, from 0
     * @return the argument
     * @throws IndexOutOfBoundsException if there is no argument {@code i}
     */
    public Object arg(int i) {
        return args.get(i);
    }

    /** {@return the keyword arguments (never null)} */
    public Map<String, Object> kwargs() {
        return kwargs;
    }

    /** {@return the caller's session id when it asked to disclose itself} */
    public OptionalLong caller() {
        return caller;
    }

    /** {@return a future completed with the cancel mode when the router interrupts the call} */
    public CompletableFuture<CancelMode> interrupted() {
        return interrupted;
    }
}
