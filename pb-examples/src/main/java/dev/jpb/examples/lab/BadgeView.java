package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;

/**
 * A badge (the one-to-one side of a person), passed by copy.
 *
 * @param id the stored badge's id
 * @param code the code printed on it; unique
 * @param holderId the id of the person it is issued to
 */
public record BadgeView(long id, String code, long holderId) implements Copyable {
    /** Checks the fields. */
    public BadgeView {
        requireNonNull(code, "code");
    }
}
