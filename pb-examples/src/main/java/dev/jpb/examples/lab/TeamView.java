package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Copyable;
import java.util.List;

/**
 * A team (the many-to-many side of people), passed by copy.
 *
 * @param id the stored team's id, or 0 for one not stored yet
 * @param name the team's name; unique
 * @param memberIds the ids of its members, ascending
 */
public record TeamView(long id, String name, List<Long> memberIds) implements Copyable {
    /** Checks the fields and copies the list. */
    public TeamView {
        requireNonNull(name, "name");
        memberIds = List.copyOf(memberIds);
    }
}
