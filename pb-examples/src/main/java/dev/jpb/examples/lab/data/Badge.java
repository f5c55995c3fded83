package dev.jpb.examples.lab.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.OneToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * A badge (table {@code badge}), held by exactly one {@link Person}: the one-to-one, whose
 * foreign key {@code person.badge_id} the person owns. Badge codes are unique.
 */
@Entity
@Table(name = "badge",
        uniqueConstraints = @UniqueConstraint(name = Badge.CODE_CONSTRAINT, columnNames = "code"))
class Badge {
    /** The name of the unique constraint on {@code badge.code}. */
    public static final String CODE_CONSTRAINT = "uk_badge_code";

    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "code", length = 64, nullable = false)
    private String code;

    @OneToOne(mappedBy = "badge")
    private Person holder;

    /** For Hibernate. */
    protected Badge() {
    }

    Badge(String code, Person holder) {
        this.code = code;
        this.holder = holder;
    }

    /** Returns the generated id, or null before the badge is stored. */
    public Long getId() {
        return id;
    }

    /** Returns the code. */
    public String getCode() {
        return code;
    }

    /** Returns the person who holds it. */
    public Person getHolder() {
        return holder;
    }
}
