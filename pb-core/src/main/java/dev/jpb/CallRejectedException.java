package dev.jpb;

/**
 * The callee could not run the call: its executor refused the task (it is shutting down or
 * saturated). The call did not run; it is safe to retry once the callee has room, or to give
 * the callee an executor that accepts more work.
 */
public class CallRejectedException extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public CallRejectedException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message what was refused and what to do about it
     */
    public CallRejectedException(String message) {
        super(message);
    }
}
