package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;
import java.util.List;

/**
 * A person as the lab's clients see it, passed by copy: a plain record, never an ORM entity or
 * proxy, so what arrives is exactly these fields.
 *
 * @param id the stored person's id, or 0 for one not stored yet
 * @param name at most {@value #MAX_NAME_LENGTH} characters, not blank
 * @param age in years, 0 to {@value #MAX_AGE}
 * @param addresses the person's addresses (one-to-many), ascending by id
 * @param teams the names of the person's teams (many-to-many), sorted
 * @param badge the code of the person's badge (one-to-one), or null if there is none
 */
public record PersonView(long id, String name, int age, List<AddressView> addresses,
        List<String> teams, String badge) implements Copyable {
    /** The longest name a person may have. */
    public static final int MAX_NAME_LENGTH = 128;
    /** The highest age a person may have. */
    public static final int MAX_AGE = 150;

    /** Checks the fields and copies the lists. */
    public PersonView {
        requireNonNull(name, "name");
        addresses = List.copyOf(addresses);
        teams = List.copyOf(teams);
    }

    /** Returns a new (not yet stored) person with these addresses, no team and no badge. */
    public static PersonView of(String name, int age, AddressView... addresses) {
        return new PersonView(0, name, age, List.of(addresses), List.of(), null);
    }

    /** Returns a copy with another name. */
    public PersonView withName(String newName) {
        return new PersonView(id, newName, age, addresses, teams, badge);
    }

    /** Returns a copy with another age. */
    public PersonView withAge(int newAge) {
        return new PersonView(id, name, newAge, addresses, teams, badge);
    }

    /** Returns a copy with other addresses. */
    public PersonView withAddresses(List<AddressView> newAddresses) {
        return new PersonView(id, name, age, newAddresses, teams, badge);
    }
}
