package dev.jpb.examples.lab.ui;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.examples.lab.AddressView;
import dev.jpb.examples.lab.FieldError;
import dev.jpb.examples.lab.NotAnOperatorError;
import dev.jpb.examples.lab.PersonRow;
import dev.jpb.examples.lab.PersonView;
import dev.jpb.examples.lab.TeamView;
import dev.jpb.examples.lab.data.LabStore;
import dev.jpb.examples.lab.data.Role;
import dev.jpb.examples.lab.ui.pushed.LabEditor;
import dev.jpb.thin.RemoteDisplay;
import dev.jpb.thin.UiBundle;
import dev.jpb.thin.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
    public static final List<String> STEPS = List.of("prepare", "calibrate", "acquire",
            "review");

    private final LabStore store;
    private final UiBundle bundle = UiBundle.builder()
            .classpath(LabUi.class, "lab.fxml", "lab.css")
            .document("lab.fxml").stylesheet("lab.css")
            .controllerClass(LabEditor.class)
            .build();
    private final AtomicInteger stations = new AtomicInteger();
    // the attached stations' names, for the run-control screen
    private final List<String> attached = new CopyOnWriteArrayList<>();

    /** Creates the UI over {@code store}, which the caller owns. */
    public LabUi(LabStore store) {
        this.store = requireNonNull(store, "store");
    }

    /** {@return the bundle pushed to every client (document, stylesheet, controller code)} */
    public UiBundle bundle() {
        return bundle;
    }

    /**
     * Pushes the lab window to the display of a thin client whose user logged in as
     * {@code user} with {@code role}: an operator's backend edits, a viewer's refuses every
     * edit with {@link NotAnOperatorError}.
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
                + role.name().toLowerCase(java.util.Locale.ROOT) + ")";
        attached.add(station);
        displayRef.notifyOnDisconnect(r -> attached.remove(station));
        // CACHEABLE (issue 17 point 4): here the editor also gets the people table and the
        // procedure as observed copies, so that edits and steps reach every station at once;
        // today each station reads them when its window opens.
        return display.window(WINDOW).open(SPEC, bundle, new Backend(station, user, role))
                .thenApply(gui -> "pushed the lab UI to " + station);
    }

    /** One row of the people table as the editor shows it (as {@link PersonRow}). */
    static List<Object> row(PersonView p) {
        String email = p.addresses().stream().filter(AddressView::primary)
                .map(AddressView::email).findFirst()
                .orElse(p.addresses().isEmpty() ? null : p.addresses().get(0).email());
        return Arrays.asList(p.id(), p.name(), p.age(), email, String.join(", ", p.teams()),
                p.badge());
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

        /** Returns every person as a row, ascending by id. */
        public List<List<Object>> remote_people() {
            List<PersonRow> all = store.peopleTable();
            List<List<Object>> rows = new ArrayList<>(all.size());
            all.forEach(p -> rows.add(Arrays.asList(p.id(), p.name(), p.age(), p.email(),
                    p.teams(), p.badge())));
            return rows;
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
                    saved = store.createPerson(PersonView.of(name.strip(), years,
                            addresses(List.of(), email)));
                } else {
                    PersonView old = store.person(id).orElseThrow(() -> new FieldError("name",
                            "person #" + id + " was deleted meanwhile; press New"));
                    saved = store.updatePerson(old.withName(name.strip()).withAge(years)
                            .withAddresses(List.of(addresses(old.addresses(), email))));
                }
                return Map.of("saved", row(saved));
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
            return store.deletePerson(id);
        }

        /** Returns every team as {@code "name (n members)"}. */
        public List<String> remote_teams() {
            return store.teams().stream().map(LabUi::describe).toList();
        }

        /**
         * Creates a team; answers {@code {"saved": name}} or {@code {"errors": ...}}.
         *
         * @throws NotAnOperatorError if this station's user is a viewer
         */
        public Map<String, Object> remote_createTeam(String name) {
            operatorOnly("create a team");
            try {
                return Map.of("saved", store.createTeam(name.strip()).name());
            } catch (FieldError e) {
                return errors(e.field(), withoutField(e));
            }
        }

        /**
         * Returns the procedure as the run-control screen shows it: {@code steps},
         * {@code current} (an index), {@code about}, {@code stations}, {@code canAdvance},
         * {@code note}.
         */
        // CACHEABLE (issue 17 point 4): the procedure becomes a Cacheable that the operator's
        // perspective advances; its copy on each station calls LabEditor.remote_showProcedure
        // on every step. Until then this answers the state a procedure starts in.
        public Map<String, Object> remote_procedure() {
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("steps", STEPS);
            state.put("current", 0);
            state.put("about", "set up the samples and the stations");
            state.put("stations", List.copyOf(attached));
            state.put("canAdvance", false);
            state.put("note", "You are " + station + (role == Role.OPERATOR
                    ? ": an operator, who drives the steps; every station follows them."
                    : ": you watch; an operator drives the steps."));
            return state;
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
