package dev.jpb.examples.lab.ui;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.examples.lab.AddressView;
import dev.jpb.examples.lab.FieldError;
import dev.jpb.examples.lab.NotAnOperatorError;
import dev.jpb.examples.lab.LabProcedure;
import dev.jpb.examples.lab.LabService;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.examples.lab.TeamView;
import dev.jpb.examples.lab.data.Role;
import dev.jpb.examples.lab.ui.pushed.LabEditor;
import dev.jpb.thin.RemoteDisplay;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.WindowSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab's pushed UI: {@link #attach} opens the {@code "lab"} window on a thin client with
 * {@code lab.fxml}, {@code lab.css} and the {@link LabEditor} controller's code, and hands
 * that controller a {@link Backend} of its own. The editor runs on the client; the backend
 * runs here, on jpb's executor, and is the only thing that touches the store. Thread-safe.
 */
public final class LabUi {
    /** The window's id on every client. */
    public static final String WINDOW = "lab";
    /** The window's title, size and modality. */
    public static final WindowSpec SPEC = WindowSpec.titled("Lab").size(980, 560);
    /** The procedure's steps, in order. */
    public static final List<String> STEPS = LabProcedure.STEPS;

    private final LabService lab;
    private final UiBundle bundle = UiBundle.builder()
            .classpath(LabUi.class, "lab.fxml", "lab.css")
            .document("lab.fxml").stylesheet("lab.css")
            .controllerClass(LabEditor.class)
            .build();
    private final AtomicInteger stations = new AtomicInteger();

    /** Creates the UI over {@code lab}, which the caller owns. */
    public LabUi(LabService lab) {
        this.lab = requireNonNull(lab, "lab");
    }

    /** {@return the bundle pushed to every client (document, stylesheet, controller code)} */
    public UiBundle bundle() {
        return bundle;
    }

    /**
     * Pushes the lab window to the display of a thin client whose user logged in as
     * {@code user} with {@code role}: an operator's backend edits and drives the procedure, a
     * viewer's refuses every edit with {@link NotAnOperatorError}.
     *
     * @return a future completed with a line saying what was pushed, or failed as
     *     {@link dev.jpb.thin.RemoteWindow#open} fails (e.g. the client does not run code
     *     from this server)
     */
    public CompletableFuture<String> attach(RemoteReference displayRef, String user, Role role) {
        requireNonNull(user, "user");
        requireNonNull(role, "role");
        RemoteDisplay display = RemoteDisplay.of(displayRef);
        String station = "station " + stations.incrementAndGet() + " (" + user + ", "
                + role.name().toLowerCase(Locale.ROOT) + ")";
        return display.window(WINDOW).open(SPEC, bundle, new Backend(station, user, role))
                .thenApply(gui -> "pushed the lab UI to " + station);
    }

    /** The server side of one station's editor: what its {@link LabEditor} calls. */
    public final class Backend extends Referenceable {
        private final String station;
        private final String user;
        private final Role role;

        Backend(String station, String user, Role role) {
            this.station = station;
            this.user = user;
            this.role = role;
        }

        /** Refuses {@code what} unless this station's user is an operator. */
        private void operatorOnly(String what) {
            if (role != Role.OPERATOR) {
                throw new NotAnOperatorError(user, what);
            }
        }

        /**
         * Returns what the editor follows live: {@code people}, the people table as an
         * observed map (id to row, see {@link LabService#peopleRows()}), and {@code run}, the
         * procedure ({@link LabProcedure#copies()}); both change on every station at once.
         * Also {@code user}, {@code station} and {@code operator}, for the screen.
         */
        public Map<String, Object> remote_live() {
            Map<String, Object> live = new LinkedHashMap<>();
            live.put("people", lab.peopleRows());
            live.put("run", lab.procedure().copies());
            live.put("user", user);
            live.put("station", station);
            live.put("operator", role == Role.OPERATOR);
            return live;
        }

        /**
         * Moves the procedure to its next step.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         * @throws dev.jpb.examples.lab.StepNotReadyError if the step waits for stations
         */
        public int remote_advance() {
            operatorOnly("drive the procedure");
            return lab.procedure().advance(user);
        }

        /**
         * Takes a station that lost its connection off the procedure's roster: the steps stop
         * waiting for it.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         * @throws dev.jpb.examples.lab.StationError if that station is connected, or there is
         *     no such station
         */
        public void remote_removeStation(String station) {
            operatorOnly("remove a station");
            lab.procedure().removeStation(user, station);
        }

        /** Acknowledges step {@code step} (0-based) for this station's user. */
        public boolean remote_acknowledge(int step) {
            return lab.procedure().acknowledge(user, step);
        }

        /**
         * Creates ({@code id} 0) or changes a person from the form's text. Answers
         * {@code {"saved": row}}, or {@code {"errors": {field: message}}} when the lab refused
         * a field ({@link FieldError}), nothing being written then.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         */
        public Map<String, Object> remote_savePerson(long id, String name, String age,
                String email) {
            operatorOnly("save a person");
            int years;
            try {
                years = Integer.parseInt(age.strip());
            } catch (NumberFormatException e) {
                return errors("age", "'" + age + "' is not a whole number of years");
            }
            try {
                PersonView saved;
                if (id == 0) {
                    saved = lab.createPerson(PersonView.of(name.strip(), years,
                            addresses(List.of(), email)));
                } else {
                    PersonView old = lab.findPerson(id).orElseThrow(() -> new FieldError("name",
                            "person #" + id + " was deleted meanwhile; press New"));
                    saved = lab.updatePerson(old.withName(name.strip()).withAge(years)
                            .withAddresses(List.of(addresses(old.addresses(), email))));
                }
                return Map.of("saved", LabService.row(saved));
            } catch (FieldError e) {
                return errors(e.field(), withoutField(e));
            }
        }

        /**
         * Deletes a person; answers whether there was one.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         */
        public boolean remote_deletePerson(long id) {
            operatorOnly("delete a person");
            return lab.deletePerson(id);
        }

        /** Returns every team as {@code "name (n members)"}. */
        public List<String> remote_teams() {
            return lab.teams().stream().map(LabUi::describe).toList();
        }

        /**
         * Creates a team; answers {@code {"saved": name}} or {@code {"errors": ...}}.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         */
        public Map<String, Object> remote_createTeam(String name) {
            operatorOnly("create a team");
            try {
                return Map.of("saved", lab.createTeam(name.strip()).name());
            } catch (FieldError e) {
                return errors(e.field(), withoutField(e));
            }
        }
    }

    private static AddressView[] addresses(List<AddressView> old, String email) {
        List<AddressView> out = new ArrayList<>();
        for (AddressView a : old) { // other addresses stay as they were
            if (!a.primary()) {
                out.add(a);
            }
        }
        if (!email.isBlank()) {
            out.removeIf(a -> a.email().equalsIgnoreCase(email.strip()));
            out.add(0, AddressView.of(email.strip(), true));
        }
        return out.toArray(new AddressView[0]);
    }

    private static String describe(TeamView t) {
        int n = t.memberIds().size();
        return t.name() + " (" + n + (n == 1 ? " member)" : " members)");
    }

    private static Map<String, Object> errors(String field, String message) {
        return Map.of("errors", Map.of(field, message));
    }

    private static String withoutField(FieldError e) {
        String prefix = e.field() + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
