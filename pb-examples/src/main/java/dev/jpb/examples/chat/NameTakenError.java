package dev.jpb.examples.chat;

import dev.jpb.PbError;

/**
 * Joining the room under a name someone else already has. A {@link PbError}, so it crosses the
 * wire as itself, {@link #name()} included, to a client that registered it.
 */
public class NameTakenError extends PbError {
    private static final long serialVersionUID = 1L;

    private String name;

    /** For jpb, which rebuilds the error on the receiving side and then sets its fields. */
    public NameTakenError() {
    }

    /** Creates the error for the name that is taken. */
    public NameTakenError(String name) {
        super("the name " + name + " is taken; pick another one");
        this.name = name;
    }

    /** Returns the name that was taken. */
    public String name() {
        return name;
    }
}
