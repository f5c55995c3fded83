package dev.jpb.examples.lab;

import dev.jpb.PbError;

/**
 * A viewer tried to change something: a viewer's perspective may only watch. Nothing was
 * written. A {@link PbError}, so it crosses the wire as itself to a client that registered it
 * (the pushed editor, which knows no lab types, shows its type and message in its status line).
 */
public class NotAnOperatorError extends PbError {
    private static final long serialVersionUID = 1L;

    /** For jpb, which rebuilds the error on the receiving side. */
    public NotAnOperatorError() {
    }

    /**
     * Creates the error.
     *
     * @param user the viewer who tried
     * @param what what was refused, e.g. {@code "save a person"}
     */
    public NotAnOperatorError(String user, String what) {
        super(user + " is a viewer and may only watch: cannot " + what + " (ask an operator)");
    }
}
