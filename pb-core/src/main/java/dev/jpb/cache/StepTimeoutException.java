package dev.jpb.cache;

import dev.jpb.PbException;
import java.util.List;

/**
 * A step of a {@link StepBarrier} was not acknowledged by enough clients in time. Names the
 * clients that did not acknowledge it: the name each gave with {@link StepView#join}, or its
 * connection.
 */
public class StepTimeoutException extends PbException {
    private static final long serialVersionUID = 1L;
    /** The step number. */
    private final int step;
    /** The step's label. */
    private final String label;
    /** The clients that did not acknowledge the step. */
    private final List<String> missing;

    /**
     * Creates the failure of one step.
     *
     * @param step the step number
     * @param label the step's label
     * @param missing the clients that did not acknowledge it
     * @param message what happened
     */
    public StepTimeoutException(int step, String label, List<String> missing, String message) {
        super(message);
        this.step = step;
        this.label = label;
        this.missing = List.copyOf(missing);
    }

    /**
     * Returns the step number.
     *
     * @return the step number
     */
    public int step() {
        return step;
    }

    /**
     * Returns the step's label.
     *
     * @return the step's label
     */
    public String label() {
        return label;
    }

    /**
     * Returns the names of the clients that did not acknowledge the step.
     *
     * @return the names of the clients that did not acknowledge the step
     */
    public List<String> missing() {
        return missing;
    }
}
