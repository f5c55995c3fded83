package dev.jpb.twisted;

import dev.jpb.PbError;

/** The Java side of shared.NameTaken, a pb.Error subclass. */
public class NameTaken extends PbError {
    private static final long serialVersionUID = 1L;

    /** Creates the error. */
    public NameTaken(String message) {
        super(message);
    }
}
