package dev.jpb.examples.lab;

import dev.jpb.PbError;
import java.util.List;

/**
 * The operator asked for the next step of the procedure while the current one still waits for
 * some stations' acknowledgement, or after the last step. Nothing changed. A {@link PbError}, so
 * it crosses the wire as itself (with {@link #missing()}) to a client that registered it; the
 * pushed editor shows its type and message.
 */
public class StepNotReadyError extends PbError {
    private static final long serialVersionUID = 1L;

    private List<String> missing = List.of();

    /** For jpb, which rebuilds the error on the receiving side and then sets its fields. */
    public StepNotReadyError() {
    }

    /**
     * Creates the error.
     *
     * @param message what is still missing and what to do
     * @param missing the stations (users) whose acknowledgement the step waits for
     */
    public StepNotReadyError(String message, List<String> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    /** Returns the stations (users) the step still waits for; empty after the last step. */
    public List<String> missing() {
        return missing;
    }
}
