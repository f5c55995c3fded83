package dev.jpb.examples.lab.data;

import dev.jpb.examples.lab.PersonView;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OneToOne;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A person (table {@code person}): the owner of addresses (one-to-many), a member of teams
 * (many-to-many, through {@code team_member}) and the holder of at most one badge (one-to-one,
 * the foreign key {@code badge_id} is here). Only {@link LabStore} touches entities; clients see
 * {@link PersonView}.
 */
@Entity
@Table(name = "person")
class Person {
    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "name", length = PersonView.MAX_NAME_LENGTH, nullable = false)
    private String name;

    @Column(name = "age", nullable = false)
    private int age;

    @OneToMany(mappedBy = "owner", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("id")
    private List<Address> addresses = new ArrayList<>();

    @ManyToMany
    @JoinTable(name = "team_member",
            joinColumns = @JoinColumn(name = "person_id"),
            inverseJoinColumns = @JoinColumn(name = "team_id"))
    private Set<Team> teams = new LinkedHashSet<>();

    @OneToOne(fetch = FetchType.LAZY, cascade = CascadeType.ALL, orphanRemoval = true)
    @JoinColumn(name = "badge_id", unique = true)
    private Badge badge;

    /** For Hibernate. */
    protected Person() {
    }

    Person(String name, int age) {
        this.name = name;
        this.age = age;
    }

    /** Returns the generated id, or null before the person is stored. */
    public Long getId() {
        return id;
    }

    /** Returns the name. */
    public String getName() {
        return name;
    }

    void setName(String name) {
        this.name = name;
    }

    /** Returns the age in years. */
    public int getAge() {
        return age;
    }

    void setAge(int age) {
        this.age = age;
    }

    /** Returns the addresses, ascending by id (live: only {@link LabStore} changes it). */
    public List<Address> getAddresses() {
        return addresses;
    }

    /** Returns the teams (live: only {@link LabStore} changes it). */
    public Set<Team> getTeams() {
        return teams;
    }

    /** Returns the badge, or null. */
    public Badge getBadge() {
        return badge;
    }

    void setBadge(Badge badge) {
        this.badge = badge;
    }
}
