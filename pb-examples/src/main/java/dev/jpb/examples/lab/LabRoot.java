package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Root;
import dev.jpb.examples.lab.data.LabStore;
import java.util.List;

/**
 * The lab's jpb root: its {@code remote_} methods list, create, change and delete people,
 * teams and badges, in and out as view records ({@link PersonView}, {@link TeamView},
 * {@link BadgeView}). A refused edit arrives at the caller as {@link FieldError}, and nothing
 * of it was written.
 *
 * <p>Every connection shares this one root and so sees the others' edits on its next read.
 * The methods block on the database; jpb runs them on its executor, never on an I/O thread.
 */
// The pushed UI is only reachable after login (LabRealm.Station.perspective_attach); this
// root is the lab's data API for scripts and the headless demo, still without login: keep the
// port on 127.0.0.1, or move these methods to the operator's perspective.
public class LabRoot extends Root {
    private final LabStore store;

    /** Creates the root over {@code store}, which the caller owns (and closes). */
    public LabRoot(LabStore store) {
        this.store = requireNonNull(store, "store");
    }

    /** Returns every person, ascending by id. */
    public List<PersonView> remote_people() {
        return store.people();
    }

    /**
     * Returns one person.
     *
     * @throws FieldError ({@code "id"}) if there is none with that id
     */
    public PersonView remote_person(long id) {
        return store.person(id).orElseThrow(() -> new FieldError("id",
                "there is no person with id " + id + "; list the people again"));
    }

    /** Stores a new person; see {@link LabStore#createPerson}. */
    public PersonView remote_createPerson(PersonView person) {
        return store.createPerson(person);
    }

    /** Changes a person's name, age and addresses; see {@link LabStore#updatePerson}. */
    public PersonView remote_updatePerson(PersonView person) {
        return store.updatePerson(person);
    }

    /** Deletes a person; returns whether there was one. */
    public boolean remote_deletePerson(long id) {
        return store.deletePerson(id);
    }

    /** Returns every team, ascending by id. */
    public List<TeamView> remote_teams() {
        return store.teams();
    }

    /** Stores a new team; see {@link LabStore#createTeam}. */
    public TeamView remote_createTeam(String name) {
        return store.createTeam(name);
    }

    /** Deletes a team; returns whether there was one. */
    public boolean remote_deleteTeam(long id) {
        return store.deleteTeam(id);
    }

    /** Makes a person a member of a team; returns the person. */
    public PersonView remote_joinTeam(long personId, long teamId) {
        return store.joinTeam(personId, teamId);
    }

    /** Takes a person out of a team; returns the person. */
    public PersonView remote_leaveTeam(long personId, long teamId) {
        return store.leaveTeam(personId, teamId);
    }

    /** Returns every badge, ascending by id. */
    public List<BadgeView> remote_badges() {
        return store.badges();
    }

    /** Issues a badge to a person; see {@link LabStore#issueBadge}. */
    public PersonView remote_issueBadge(long personId, String code) {
        return store.issueBadge(personId, code);
    }

    /** Takes a person's badge away; returns the person. */
    public PersonView remote_revokeBadge(long personId) {
        return store.revokeBadge(personId);
    }
}
