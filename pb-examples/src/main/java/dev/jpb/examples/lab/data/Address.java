package dev.jpb.examples.lab.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * An email address (table {@code address}), owned by one {@link Person} (many-to-one, foreign
 * key {@code person_id}). The email is unique over all addresses: {@link LabStore} checks that
 * first, and the constraint {@value #EMAIL_CONSTRAINT} guards against two writers racing.
 */
@Entity
@Table(name = "address",
        uniqueConstraints = @UniqueConstraint(name = Address.EMAIL_CONSTRAINT,
                columnNames = "email"))
class Address {
    /** The name of the unique constraint on {@code address.email}. */
    public static final String EMAIL_CONSTRAINT = "uk_address_email";

    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "email", length = 254, nullable = false)
    private String email;

    @Column(name = "is_primary", nullable = false)
    private boolean primary;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "person_id", nullable = false)
    private Person owner;

    /** For Hibernate. */
    protected Address() {
    }

    Address(String email, boolean primary, Person owner) {
        this.email = email;
        this.primary = primary;
        this.owner = owner;
    }

    /** Returns the generated id, or null before the address is stored. */
    public Long getId() {
        return id;
    }

    /** Returns the email, lower case. */
    public String getEmail() {
        return email;
    }

    /** Returns whether this is its owner's primary address. */
    public boolean isPrimary() {
        return primary;
    }

    void setPrimary(boolean primary) {
        this.primary = primary;
    }

    /** Returns the person the address belongs to. */
    public Person getOwner() {
        return owner;
    }
}
