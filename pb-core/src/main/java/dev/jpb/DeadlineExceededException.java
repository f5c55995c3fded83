package dev.jpb;

/**
 * A call's deadline passed before its answer arrived (see {@link
 * RemoteReference#withTimeout}). The callee is told: a call that has not started there is not
 * run, and one that runs sees {@link CallContext#isCancelled()}.
 */
public class DeadlineExceededException extends PbException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception without a message. */
    public DeadlineExceededException() {
    }

    /**
     * Creates the exception with a message.
     *
     * @param message the detail message
     */
    public DeadlineExceededException(String message) {
        super(message);
    }
}
