package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.PbError;

/**
 * An edit the lab refused because one field is wrong: a duplicate email, a name longer than
 * {@value PersonView#MAX_NAME_LENGTH} characters, a negative age. Nothing of that edit was
 * written. A {@link PbError}, so it crosses the wire as itself, {@link #field()} included, to a
 * client that registered it (a form shows the message next to that field).
 */
public class FieldError extends PbError {
    private static final long serialVersionUID = 1L;

    private String field;

    /** For jpb, which rebuilds the error on the receiving side and then sets its fields. */
    public FieldError() {
    }

    /**
     * Creates the error.
     *
     * @param field the field's name as the views spell it, e.g. {@code "email"}
     * @param message what is wrong and what to do
     */
    public FieldError(String field, String message) {
        super(requireNonNull(field, "field") + ": " + requireNonNull(message, "message"));
        this.field = field;
    }

    /** Returns the name of the refused field, e.g. {@code "name"} or {@code "email"}. */
    public String field() {
        return field;
    }
}
