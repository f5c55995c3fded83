package dev.jpb.examples.lab.data;

import static java.util.Objects.requireNonNull;

import dev.jpb.examples.lab.AddressView;
import dev.jpb.examples.lab.BadgeView;
import dev.jpb.examples.lab.FieldError;
import dev.jpb.examples.lab.PersonRow;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.examples.lab.TeamView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.cfg.Configuration;
import org.hibernate.exception.ConstraintViolationException;

/**
 * The lab's data behind one door: every read and write runs in its own transaction, and what
 * comes out are plain view records ({@link PersonView}, {@link TeamView}, {@link BadgeView}),
 * never entities or their proxies, so they can cross the wire by copy.
 *
 * <p>Writes are validated first; a refused one throws {@link FieldError} naming the field, and
 * nothing of it is written (its transaction is rolled back). Unique columns are also guarded by
 * database constraints, so two clients racing for one email get a {@code FieldError} too.
 *
 * <p>Thread-safe; calls block on the database, so never call them on an I/O thread. Close it
 * once at shutdown.
 */
public final class LabStore implements AutoCloseable {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final SessionFactory sessions;
    private final LabDatabase database;
    private final LabUsers users;

    private LabStore(SessionFactory sessions, LabDatabase database) {
        this.sessions = sessions;
        this.database = database;
        this.users = new LabUsers(this);
    }

    /**
     * Opens the database, creating the tables, constraints and foreign keys that are missing
     * (Hibernate's schema update: existing data is kept).
     *
     * @throws org.hibernate.HibernateException if the database cannot be reached
     */
    public static LabStore open(LabDatabase database) {
        requireNonNull(database, "database");
        Configuration cfg = new Configuration()
                .addAnnotatedClass(Person.class)
                .addAnnotatedClass(Address.class)
                .addAnnotatedClass(Team.class)
                .addAnnotatedClass(Badge.class)
                .addAnnotatedClass(LabUser.class)
                .setProperty("hibernate.connection.url", database.url())
                .setProperty("hibernate.hbm2ddl.auto", "update")
                // add missing unique constraints, without first dropping ones that are not there
                .setProperty("hibernate.schema_update.unique_constraint_strategy",
                        "RECREATE_QUIETLY")
                .setProperty("hibernate.connection.pool_size", "8")
                .setProperty("hibernate.default_batch_fetch_size", "64")
                .setProperty("hibernate.jdbc.batch_size", "50")
                .setProperty("hibernate.order_inserts", "true");
        if (database.user() != null) {
            cfg.setProperty("hibernate.connection.username", database.user());
        }
        if (database.password() != null) {
            cfg.setProperty("hibernate.connection.password", database.password());
        }
        return new LabStore(cfg.buildSessionFactory(), database);
    }

    /** Returns the database this store was opened on. */
    public LabDatabase database() {
        return database;
    }

    /** Returns the users who may log in, stored in this database. */
    public LabUsers users() {
        return users;
    }

    // ---- people

    /** Returns every person, ascending by id. */
    public List<PersonView> people() {
        return read(s -> s.createSelectionQuery(
                        "select p from Person p left join fetch p.badge order by p.id",
                        Person.class)
                .getResultList().stream().map(LabStore::view).toList());
    }

    /**
     * Returns every person as a table line, ascending by id: the same people as
     * {@link #people()}, read as three projections (people with badges, addresses, team names)
     * instead of entities.
     */
    public List<PersonRow> peopleTable() {
        return read(s -> {
            Map<Long, String> emails = new HashMap<>();
            for (Object[] a : s.createSelectionQuery("select a.owner.id, a.email, a.primary"
                    + " from Address a order by a.id", Object[].class).getResultList()) {
                if ((Boolean) a[2] || !emails.containsKey((Long) a[0])) {
                    emails.put((Long) a[0], (String) a[1]);
                }
            }
            Map<Long, StringBuilder> teams = new HashMap<>();
            for (Object[] t : s.createSelectionQuery("select p.id, t.name from Person p"
                    + " join p.teams t order by t.name", Object[].class).getResultList()) {
                StringBuilder names = teams.computeIfAbsent((Long) t[0], k -> new StringBuilder());
                names.append(names.isEmpty() ? "" : ", ").append((String) t[1]);
            }
            List<PersonRow> rows = new ArrayList<>();
            for (Object[] p : s.createSelectionQuery("select p.id, p.name, p.age, b.code"
                    + " from Person p left join p.badge b order by p.id", Object[].class)
                    .getResultList()) {
                Long id = (Long) p[0];
                StringBuilder t = teams.get(id);
                rows.add(new PersonRow(id, (String) p[1], (Integer) p[2], emails.get(id),
                        t == null ? "" : t.toString(), (String) p[3]));
            }
            return rows;
        });
    }

    /** Returns the person with that id, if there is one. */
    public Optional<PersonView> person(long id) {
        return read(s -> Optional.ofNullable(s.find(Person.class, id)).map(LabStore::view));
    }

    /** Returns how many people there are. */
    public long personCount() {
        return read(s -> s.createSelectionQuery("select count(p) from Person p", Long.class)
                .getSingleResult());
    }

    /**
     * Stores a new person with its addresses ({@code id}, {@code teams} and {@code badge} of the
     * view are ignored: use {@link #joinTeam} and {@link #issueBadge}).
     *
     * @return the stored person, with its id
     * @throws FieldError if a field is refused; nothing is written then
     */
    public PersonView createPerson(PersonView person) {
        requireNonNull(person, "person");
        return write(s -> {
            Person p = new Person(checkName(person.name()), checkAge(person.age()));
            List<AddressView> addresses = checkAddresses(s, person.addresses(), null);
            for (AddressView a : addresses) {
                p.getAddresses().add(new Address(a.email(), a.primary(), p));
            }
            s.persist(p);
            s.flush();
            return view(p);
        });
    }

    /**
     * Stores many new people in one transaction, as {@link #createPerson} would one by one:
     * all of them or, if one is refused, none.
     *
     * @return how many were stored
     * @throws FieldError for the first refused field; nothing is written then
     */
    public int importPeople(List<PersonView> people) {
        requireNonNull(people, "people");
        return write(s -> {
            int n = 0;
            for (PersonView person : people) {
                Person p = new Person(checkName(person.name()), checkAge(person.age()));
                for (AddressView a : checkAddresses(s, person.addresses(), null)) {
                    p.getAddresses().add(new Address(a.email(), a.primary(), p));
                }
                s.persist(p);
                if (++n % 500 == 0) { // keep the persistence context small
                    s.flush();
                    s.clear();
                }
            }
            return n;
        });
    }

    /**
     * Changes a stored person's name, age and addresses to the view's. Addresses are matched
     * by email: one whose email is still listed keeps its id, one no longer listed is deleted,
     * a new email is added. Teams and badge are left as they are.
     *
     * @return the person as stored now
     * @throws FieldError if a field is refused or there is no person with that id; nothing
     *     is written then
     */
    public PersonView updatePerson(PersonView person) {
        requireNonNull(person, "person");
        return write(s -> {
            Person p = findPerson(s, person.id());
            p.setName(checkName(person.name()));
            p.setAge(checkAge(person.age()));
            List<AddressView> wanted = checkAddresses(s, person.addresses(), p.getId());
            Map<String, AddressView> byEmail = new HashMap<>();
            wanted.forEach(a -> byEmail.put(a.email(), a));
            Set<String> kept = new HashSet<>();
            p.getAddresses().removeIf(a -> !byEmail.containsKey(a.getEmail()));
            for (Address a : p.getAddresses()) {
                a.setPrimary(byEmail.get(a.getEmail()).primary());
                kept.add(a.getEmail());
            }
            for (AddressView a : wanted) {
                if (!kept.contains(a.email())) {
                    p.getAddresses().add(new Address(a.email(), a.primary(), p));
                }
            }
            s.flush();
            return view(p);
        });
    }

    /**
     * Deletes a person with their addresses, badge and team memberships.
     *
     * @return whether there was such a person
     */
    public boolean deletePerson(long id) {
        return write(s -> {
            Person p = s.find(Person.class, id);
            if (p == null) {
                return false;
            }
            for (Team t : p.getTeams()) {
                t.getMembers().remove(p);
            }
            p.getTeams().clear();
            s.remove(p);
            return true;
        });
    }

    // ---- teams (many-to-many)

    /** Returns every team, ascending by id. */
    public List<TeamView> teams() {
        return read(s -> s.createSelectionQuery("select t from Team t order by t.id", Team.class)
                .getResultList().stream().map(LabStore::view).toList());
    }

    /**
     * Stores a new team.
     *
     * @throws FieldError ({@code "name"}) if the name is blank, too long or taken
     */
    public TeamView createTeam(String name) {
        requireNonNull(name, "name");
        return write(s -> {
            String n = checkName(name);
            Long taken = s.createSelectionQuery(
                    "select count(t) from Team t where t.name = :n", Long.class)
                    .setParameter("n", n).getSingleResult();
            if (taken > 0) {
                throw new FieldError("name", "there is already a team called " + n
                        + "; pick another name");
            }
            Team t = new Team(n);
            s.persist(t);
            s.flush();
            return view(t);
        });
    }

    /**
     * Deletes a team; its members stay, without it.
     *
     * @return whether there was such a team
     */
    public boolean deleteTeam(long id) {
        return write(s -> {
            Team t = s.find(Team.class, id);
            if (t == null) {
                return false;
            }
            for (Person p : t.getMembers()) {
                p.getTeams().remove(t);
            }
            s.remove(t);
            return true;
        });
    }

    /**
     * Makes a person a member of a team (nothing changes if they already are).
     *
     * @throws FieldError ({@code "id"} or {@code "teamId"}) if either does not exist
     */
    public PersonView joinTeam(long personId, long teamId) {
        return write(s -> {
            Person p = findPerson(s, personId);
            Team t = findTeam(s, teamId);
            if (p.getTeams().add(t)) {
                t.getMembers().add(p);
            }
            s.flush();
            return view(p);
        });
    }

    /**
     * Takes a person out of a team (nothing changes if they were not in it).
     *
     * @throws FieldError ({@code "id"} or {@code "teamId"}) if either does not exist
     */
    public PersonView leaveTeam(long personId, long teamId) {
        return write(s -> {
            Person p = findPerson(s, personId);
            Team t = findTeam(s, teamId);
            p.getTeams().remove(t);
            t.getMembers().remove(p);
            s.flush();
            return view(p);
        });
    }

    // ---- badges (one-to-one)

    /** Returns every badge, ascending by id. */
    public List<BadgeView> badges() {
        return read(s -> s.createSelectionQuery(
                        "select b from Badge b join fetch b.holder order by b.id", Badge.class)
                .getResultList().stream()
                .map(b -> new BadgeView(b.getId(), b.getCode(), b.getHolder().getId()))
                .toList());
    }

    /**
     * Issues a badge to a person, replacing the one they had.
     *
     * @throws FieldError ({@code "code"}) if the code is blank, too long or already issued;
     *     ({@code "id"}) if there is no such person
     */
    public PersonView issueBadge(long personId, String code) {
        requireNonNull(code, "code");
        return write(s -> {
            Person p = findPerson(s, personId);
            String c = code.strip();
            if (c.isEmpty() || c.length() > 64) {
                throw new FieldError("code", "a badge code has 1 to 64 characters");
            }
            if (p.getBadge() != null && p.getBadge().getCode().equals(c)) {
                return view(p);
            }
            Long taken = s.createSelectionQuery(
                    "select count(b) from Badge b where b.code = :c", Long.class)
                    .setParameter("c", c).getSingleResult();
            if (taken > 0) {
                throw new FieldError("code", "badge " + c + " is already issued to someone"
                        + " else; revoke it first or pick another code");
            }
            if (p.getBadge() != null) {
                p.setBadge(null);
                s.flush(); // the old badge goes before the new one takes its place
            }
            p.setBadge(new Badge(c, p));
            s.flush();
            return view(p);
        });
    }

    /**
     * Takes a person's badge away (nothing changes if they had none).
     *
     * @throws FieldError ({@code "id"}) if there is no such person
     */
    public PersonView revokeBadge(long personId) {
        return write(s -> {
            Person p = findPerson(s, personId);
            p.setBadge(null);
            s.flush();
            return view(p);
        });
    }

    /** Closes the connection pool; later calls fail. */
    @Override
    public void close() {
        sessions.close();
    }

    // ---- transactions

    <T> T read(Function<Session, T> work) {
        return sessions.fromTransaction(work);
    }

    /**
     * Runs {@code work} in a transaction that is rolled back if it throws; a unique constraint
     * that fires at commit (another writer won a race) becomes the {@link FieldError} its
     * column's check would have thrown.
     */
    <T> T write(Function<Session, T> work) {
        try {
            return sessions.fromTransaction(work);
        } catch (RuntimeException e) {
            FieldError translated = translate(e);
            if (translated != null) {
                translated.addSuppressed(e);
                throw translated;
            }
            throw e;
        }
    }

    private static FieldError translate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException cve && cve.getConstraintName() != null) {
                String name = cve.getConstraintName().toLowerCase(Locale.ROOT);
                if (name.contains(Address.EMAIL_CONSTRAINT)) {
                    return new FieldError("email", "that email is already used by another"
                            + " person; use a different address");
                }
                if (name.contains(Team.NAME_CONSTRAINT) || name.contains(LabUser.NAME_CONSTRAINT)) {
                    return new FieldError("name", "that name is taken; pick another one");
                }
                if (name.contains(Badge.CODE_CONSTRAINT)) {
                    return new FieldError("code", "that badge code is already issued");
                }
            }
        }
        return null;
    }

    // ---- validation

    static String checkName(String name) {
        String n = name.strip();
        if (n.isEmpty()) {
            throw new FieldError("name", "the name is empty; type one");
        }
        if (n.length() > PersonView.MAX_NAME_LENGTH) {
            throw new FieldError("name", "the name has " + n.length() + " characters; at most "
                    + PersonView.MAX_NAME_LENGTH + " fit");
        }
        return n;
    }

    private static int checkAge(int age) {
        if (age < 0 || age > PersonView.MAX_AGE) {
            throw new FieldError("age", "the age " + age + " is out of range; give 0 to "
                    + PersonView.MAX_AGE);
        }
        return age;
    }

    /** Returns the addresses normalised (trimmed, lower case), or refuses them. */
    private static List<AddressView> checkAddresses(Session s, List<AddressView> addresses,
            Long ownerId) {
        List<AddressView> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int primaries = 0;
        for (AddressView a : addresses) {
            String email = a.email().strip().toLowerCase(Locale.ROOT);
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw new FieldError("email", "'" + a.email() + "' is not an email address;"
                        + " write it as name@host");
            }
            if (!seen.add(email)) {
                throw new FieldError("email", "the email " + email + " is listed twice;"
                        + " remove one");
            }
            primaries += a.primary() ? 1 : 0;
            out.add(new AddressView(a.id(), email, a.primary()));
        }
        if (primaries > 1) {
            throw new FieldError("primary", "only one address can be the primary one");
        }
        if (!seen.isEmpty()) {
            List<String> taken = s.createSelectionQuery(
                    "select a.email from Address a where a.email in :emails"
                            + " and a.owner.id <> :owner", String.class)
                    .setParameter("emails", seen)
                    .setParameter("owner", ownerId == null ? -1L : ownerId)
                    .getResultList();
            if (!taken.isEmpty()) {
                throw new FieldError("email", "the email " + taken.get(0) + " is already used"
                        + " by another person; use a different address");
            }
        }
        return out;
    }

    private static Person findPerson(Session s, long id) {
        Person p = s.find(Person.class, id);
        if (p == null) {
            throw new FieldError("id", "there is no person with id " + id
                    + "; list the people again, someone may have deleted them");
        }
        return p;
    }

    private static Team findTeam(Session s, long id) {
        Team t = s.find(Team.class, id);
        if (t == null) {
            throw new FieldError("teamId", "there is no team with id " + id
                    + "; list the teams again");
        }
        return t;
    }

    // ---- entity -> view, inside the session

    static PersonView view(Person p) {
        List<AddressView> addresses = p.getAddresses().stream()
                .sorted(Comparator.comparing(Address::getId))
                .map(a -> new AddressView(a.getId(), a.getEmail(), a.isPrimary()))
                .toList();
        List<String> teams = p.getTeams().stream().map(Team::getName).sorted().toList();
        Badge badge = p.getBadge();
        return new PersonView(p.getId(), p.getName(), p.getAge(), addresses, teams,
                badge == null ? null : badge.getCode());
    }

    private static TeamView view(Team t) {
        return new TeamView(t.getId(), t.getName(),
                t.getMembers().stream().map(Person::getId).sorted().toList());
    }
}
