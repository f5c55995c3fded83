package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.cache.CacheableMap;
import dev.jpb.examples.lab.data.LabStore;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What every connection of one lab server shares: the store's operations, and the live copies
 * that follow them. Each edit made through this class is written to the store, and then the
 * person's row in {@link #peopleRows()} changes, which jpb sends at once to every client
 * holding a copy of it (its people table). Edits made on the {@link LabStore} directly are not
 * seen by the copies until {@link #reloadRows()}. The {@link #procedure()} is the run-control
 * state. Thread-safe; blocks on the database.
 */
public final class LabService {
    private final LabStore store;
    private final LabProcedure procedure = new LabProcedure();
    private final CacheableMap<Long, List<Object>> rows = new CacheableMap<>();
    private boolean loaded; // guarded by rows

    /** Creates the service over {@code store}, which the caller owns. */
    public LabService(LabStore store) {
        this.store = requireNonNull(store, "store");
    }

    /** Returns the store. */
    public LabStore store() {
        return store;
    }

    /** Returns the procedure every station follows. */
    public LabProcedure procedure() {
        return procedure;
    }

    /**
     * Returns the people table as an observed map, person id to row
     * ({@code [id, name, age, email, teams, badge]}, as {@link #row(PersonRow)}), ascending by
     * id. Read from the store on the first call (one projection query per table, no entities),
     * then kept up to date by this class's edits.
     */
    public CacheableMap<Long, List<Object>> peopleRows() {
        synchronized (rows) {
            if (!loaded) {
                reloadRows();
            }
        }
        return rows;
    }

    /** Reads the whole people table from the store again and sends it to every copy. */
    public void reloadRows() {
        synchronized (rows) {
            List<PersonRow> all = store.peopleTable();
            rows.clear();
            for (PersonRow r : all) {
                rows.put(r.id(), row(r));
            }
            loaded = true;
        }
    }

    /** Returns one table row as plain values: {@code [id, name, age, email, teams, badge]}. */
    public static List<Object> row(PersonRow p) {
        return Arrays.asList(p.id(), p.name(), p.age(), p.email(), p.teams(), p.badge());
    }

    /** Returns the table row of a person (the primary email, else the first, or null). */
    public static List<Object> row(PersonView p) {
        String email = p.addresses().stream().filter(AddressView::primary)
                .map(AddressView::email).findFirst()
                .orElse(p.addresses().isEmpty() ? null : p.addresses().get(0).email());
        return Arrays.asList(p.id(), p.name(), p.age(), email, String.join(", ", p.teams()),
                p.badge());
    }

    /** Returns every person, ascending by id. */
    public List<PersonView> people() {
        return store.people();
    }

    /**
     * Returns one person.
     *
     * @throws FieldError ({@code "id"}) if there is none with that id
     */
    public PersonView person(long id) {
        return store.person(id).orElseThrow(() -> new FieldError("id",
                "there is no person with id " + id + "; list the people again"));
    }

    /** Returns one person, if there is one with that id. */
    public Optional<PersonView> findPerson(long id) {
        return store.person(id);
    }

    /** Stores a new person and shows it in every table; see {@link LabStore#createPerson}. */
    public PersonView createPerson(PersonView person) {
        return edit(() -> store.createPerson(person));
    }

    /** Changes a person everywhere; see {@link LabStore#updatePerson}. */
    public PersonView updatePerson(PersonView person) {
        return edit(() -> store.updatePerson(person));
    }

    /** Deletes a person, from every table too; returns whether there was one. */
    public boolean deletePerson(long id) {
        synchronized (rows) {
            boolean gone = store.deletePerson(id);
            if (loaded) {
                rows.remove(id);
            }
            return gone;
        }
    }

    /** Returns every team, ascending by id. */
    public List<TeamView> teams() {
        return store.teams();
    }

    /** Stores a new team; see {@link LabStore#createTeam}. */
    public TeamView createTeam(String name) {
        return store.createTeam(name);
    }

    /** Deletes a team (its members' rows change); returns whether there was one. */
    public boolean deleteTeam(long id) {
        synchronized (rows) {
            return deleteTeamLocked(id);
        }
    }

    private boolean deleteTeamLocked(long id) {
        List<Long> members = store.teams().stream().filter(t -> t.id() == id)
                .flatMap(t -> t.memberIds().stream()).toList();
        boolean gone = store.deleteTeam(id);
        for (long member : members) {
            store.person(member).ifPresent(this::changed);
        }
        return gone;
    }

    /** Makes a person a member of a team; returns the person. */
    public PersonView joinTeam(long personId, long teamId) {
        return edit(() -> store.joinTeam(personId, teamId));
    }

    /** Takes a person out of a team; returns the person. */
    public PersonView leaveTeam(long personId, long teamId) {
        return edit(() -> store.leaveTeam(personId, teamId));
    }

    /** Returns every badge, ascending by id. */
    public List<BadgeView> badges() {
        return store.badges();
    }

    /** Issues a badge to a person; see {@link LabStore#issueBadge}. */
    public PersonView issueBadge(long personId, String code) {
        return edit(() -> store.issueBadge(personId, code));
    }

    /** Takes a person's badge away; returns the person. */
    public PersonView revokeBadge(long personId) {
        return edit(() -> store.revokeBadge(personId));
    }

    // The write and the row's change happen under one lock, so that two racing edits of one
    // person reach the copies in the order they reached the database.
    private PersonView edit(Supplier<PersonView> write) {
        synchronized (rows) {
            return changed(write.get());
        }
    }

    private PersonView changed(PersonView p) {
        synchronized (rows) {
            if (loaded) {
                rows.put(p.id(), row(p));
            }
        }
        return p;
    }
}
