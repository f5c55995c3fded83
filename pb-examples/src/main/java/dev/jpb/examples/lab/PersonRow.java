package dev.jpb.examples.lab;

/**
 * One line of the people table as an editor lists it: a person's columns, flattened. Read by
 * {@link dev.jpb.examples.lab.data.LabStore#peopleTable()} with three queries and no entities,
 * which is what keeps a table of 10,000 people fast. Server-side only (not registered for the
 * wire).
 *
 * @param id the person's id
 * @param name the person's name
 * @param age the person's age
 * @param email the primary address (else the first), or null if the person has none
 * @param teams the names of the person's teams, sorted, joined with {@code ", "}
 * @param badge the badge's code, or null
 */
public record PersonRow(long id, String name, int age, String email, String teams,
        String badge) {
}
