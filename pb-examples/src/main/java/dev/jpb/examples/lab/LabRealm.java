package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.CallContext;
import dev.jpb.Connection;
import dev.jpb.LoginFailedException;
import dev.jpb.RemoteReference;
import dev.jpb.cache.CacheableMap;
import dev.jpb.examples.lab.data.LabUsers;
import dev.jpb.examples.lab.data.Role;
import dev.jpb.examples.lab.ui.LabUi;
import dev.jpb.server.Realm;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The lab's realm: a user who logged in (checked against {@link LabUsers}' salted verifiers)
 * gets a {@link Station} perspective with the role stored beside the user, operator or viewer.
 * Thread-safe; blocks on the database (the realm runs on jpb's executor).
 */
final class LabRealm implements Realm {
    private final LabUsers users;
    private final LabService lab;
    private final LabUi ui;

    LabRealm(LabUsers users, LabService lab, LabUi ui) {
        this.users = requireNonNull(users, "users");
        this.lab = requireNonNull(lab, "lab");
        this.ui = requireNonNull(ui, "ui");
    }

    @Override
    public Avatar requestAvatar(String avatarId, RemoteReference mind, Connection connection) {
        // The verifier was just checked; a user removed meanwhile has no role any more.
        Role role = users.role(avatarId).orElseThrow(LoginFailedException::new);
        return new Station(avatarId, role, lab, ui);
    }

    /**
     * One logged-in user's perspective on the lab, the only way to its data: a thin client
     * calls {@code attach(display)} on it and gets the lab window; a program calls the data
     * methods ({@code people}, {@code createPerson}, ...) and the live copies
     * ({@code peopleRows}, {@code procedure}). Both roles read; only an operator edits and
     * drives the procedure, a viewer's edits fail with {@link NotAnOperatorError} and write
     * nothing. Every station acknowledges the steps that wait for it.
     */
    public static final class Station extends Avatar {
        private final String user;
        private final Role role;
        private final LabService lab;
        private final LabUi ui;
        private boolean joined; // guarded by this: a station of the procedure

        Station(String user, Role role, LabService lab, LabUi ui) {
            this.user = user;
            this.role = role;
            this.lab = lab;
            this.ui = ui;
        }

        /**
         * Pushes the lab window to the caller's display ({@link LabUi#attach}); this session
         * becomes a station of the procedure.
         *
         * @return a future completed once the window shows, with a line saying so
         */
        public CompletableFuture<String> perspective_attach(RemoteReference display) {
            join();
            return ui.attach(display, user, role);
        }

        /** Returns who this perspective belongs to, e.g. {@code "alice (VIEWER)"}. */
        public String perspective_whoami() {
            return user + " (" + role + ")";
        }

        /** Returns every person, ascending by id. */
        public List<PersonView> perspective_people() {
            return lab.people();
        }

        /**
         * Returns one person.
         *
         * @throws FieldError ({@code "id"}) if there is none with that id
         */
        public PersonView perspective_person(long id) {
            return lab.person(id);
        }

        /** Returns every team, ascending by id. */
        public List<TeamView> perspective_teams() {
            return lab.teams();
        }

        /** Returns every badge, ascending by id. */
        public List<BadgeView> perspective_badges() {
            return lab.badges();
        }

        /** Returns the live people table ({@link LabService#peopleRows()}): an observed copy. */
        public CacheableMap<Long, List<Object>> perspective_peopleRows() {
            return lab.peopleRows();
        }

        /**
         * Returns the live procedure ({@link LabProcedure#copies()}); this session becomes a
         * station of it, waited for by the steps that need every station.
         */
        public CacheableMap<String, Object> perspective_procedure() {
            join();
            return lab.procedure().copies();
        }

        /** Acknowledges step {@code step} (0-based) for this station; see {@link LabProcedure}. */
        public boolean perspective_acknowledge(int step) {
            return lab.procedure().acknowledge(user, step);
        }

        /**
         * Moves the procedure to its next step.
         *
         * @throws NotAnOperatorError if this user is a viewer
         * @throws StepNotReadyError if the step waits for stations, or is the last
         */
        public int perspective_advance() {
            operatorOnly("drive the procedure");
            return lab.procedure().advance(user);
        }

        /**
         * Takes a station that lost its connection off the procedure's roster; see
         * {@link LabProcedure#removeStation}.
         *
         * @throws NotAnOperatorError if this user is a viewer
         * @throws StationError if that station is connected, or there is no such station
         */
        public void perspective_removeStation(String station) {
            operatorOnly("remove a station");
            lab.procedure().removeStation(user, station);
        }

        /** Stores a new person; see {@link LabService#createPerson}. Operators only. */
        public PersonView perspective_createPerson(PersonView person) {
            operatorOnly("create a person");
            return lab.createPerson(person);
        }

        /** Changes a person; see {@link LabService#updatePerson}. Operators only. */
        public PersonView perspective_updatePerson(PersonView person) {
            operatorOnly("change a person");
            return lab.updatePerson(person);
        }

        /** Deletes a person; returns whether there was one. Operators only. */
        public boolean perspective_deletePerson(long id) {
            operatorOnly("delete a person");
            return lab.deletePerson(id);
        }

        /** Stores a new team; see {@link LabService#createTeam}. Operators only. */
        public TeamView perspective_createTeam(String name) {
            operatorOnly("create a team");
            return lab.createTeam(name);
        }

        /** Deletes a team; returns whether there was one. Operators only. */
        public boolean perspective_deleteTeam(long id) {
            operatorOnly("delete a team");
            return lab.deleteTeam(id);
        }

        /** Makes a person a member of a team; returns the person. Operators only. */
        public PersonView perspective_joinTeam(long personId, long teamId) {
            operatorOnly("change a team");
            return lab.joinTeam(personId, teamId);
        }

        /** Takes a person out of a team; returns the person. Operators only. */
        public PersonView perspective_leaveTeam(long personId, long teamId) {
            operatorOnly("change a team");
            return lab.leaveTeam(personId, teamId);
        }

        /** Issues a badge to a person; see {@link LabService#issueBadge}. Operators only. */
        public PersonView perspective_issueBadge(long personId, String code) {
            operatorOnly("issue a badge");
            return lab.issueBadge(personId, code);
        }

        /** Takes a person's badge away; returns the person. Operators only. */
        public PersonView perspective_revokeBadge(long personId) {
            operatorOnly("revoke a badge");
            return lab.revokeBadge(personId);
        }

        @Override
        protected synchronized void loggedOut(Connection connection) {
            if (joined) { // under this lock, so a join and this leave cannot cross
                joined = false;
                lab.procedure().left(user, connection);
            }
        }

        /** Makes this session a station of the procedure, on the calling connection. */
        private synchronized void join() {
            if (!joined) {
                joined = true;
                lab.procedure().joined(user, role, CallContext.current().connection());
            }
        }

        private void operatorOnly(String what) {
            if (role != Role.OPERATOR) {
                throw new NotAnOperatorError(user, what);
            }
        }
    }
}
