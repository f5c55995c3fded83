package dev.jpb.examples.lab.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A team (table {@code team}), the other side of the people's many-to-many: the join table
 * {@code team_member} is owned by {@link Person#getTeams()}. Team names are unique.
 */
@Entity
@Table(name = "team",
        uniqueConstraints = @UniqueConstraint(name = Team.NAME_CONSTRAINT, columnNames = "name"))
class Team {
    /** The name of the unique constraint on {@code team.name}. */
    public static final String NAME_CONSTRAINT = "uk_team_name";

    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "name", length = 128, nullable = false)
    private String name;

    @ManyToMany(mappedBy = "teams")
    private Set<Person> members = new LinkedHashSet<>();

    /** For Hibernate. */
    protected Team() {
    }

    Team(String name) {
        this.name = name;
    }

    /** Returns the generated id, or null before the team is stored. */
    public Long getId() {
        return id;
    }

    /** Returns the name. */
    public String getName() {
        return name;
    }

    /** Returns the members (the inverse side: change {@link Person#getTeams()} as well). */
    public Set<Person> getMembers() {
        return members;
    }
}
