package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;

/**
 * One of a person's addresses, passed by copy.
 *
 * @param id the stored address's id, or 0 for one not stored yet
 * @param email the address; unique over all people, compared without regard to case
 * @param primary whether it is the person's primary address (at most one is)
 */
public record AddressView(long id, String email, boolean primary) implements Copyable {
    /** Checks the fields. */
    public AddressView {
        requireNonNull(email, "email");
    }

    /** Returns a new (not yet stored) address. */
    public static AddressView of(String email, boolean primary) {
        return new AddressView(0, email, primary);
    }
}
