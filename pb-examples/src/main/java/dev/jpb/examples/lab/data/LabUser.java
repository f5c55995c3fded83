package dev.jpb.examples.lab.data;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;

/**
 * A user who may log in (table {@code lab_user}): the SASLprep'd name, the salted SCRAM-SHA-256
 * verifier in its one-line form ({@code SCRAM-SHA-256$i:salt$StoredKey:ServerKey}) and a
 * {@link Role}. Never the password.
 */
@Entity
@Table(name = "lab_user",
        uniqueConstraints = @UniqueConstraint(name = LabUser.NAME_CONSTRAINT,
                columnNames = "name"))
class LabUser {
    /** The name of the unique constraint on {@code lab_user.name}. */
    public static final String NAME_CONSTRAINT = "uk_lab_user_name";

    @Id
    @GeneratedValue
    private Long id;

    @Column(name = "name", length = 128, nullable = false)
    private String name;

    @Column(name = "verifier", length = 512, nullable = false)
    private String verifier;

    @Enumerated(EnumType.STRING)
    @Column(name = "role", length = 16, nullable = false)
    private Role role;

    /** For Hibernate. */
    protected LabUser() {
    }

    LabUser(String name, String verifier, Role role) {
        this.name = name;
        this.verifier = verifier;
        this.role = role;
    }

    /** Returns the SASLprep'd name. */
    public String getName() {
        return name;
    }

    /** Returns the encoded verifier. */
    public String getVerifier() {
        return verifier;
    }

    void setVerifier(String verifier) {
        this.verifier = verifier;
    }

    /** Returns the role. */
    public Role getRole() {
        return role;
    }

    void setRole(Role role) {
        this.role = role;
    }
}
