package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.cache.CacheableMap;
import dev.jpb.examples.lab.data.Role;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The lab's multi-step procedure (prepare, calibrate, acquire, review), driven by an operator
 * and followed live by every station. Its whole state is one value under the key
 * {@value #KEY} of a {@link CacheableMap} that every station holds a copy of
 * ({@link #copies()}): each change (a step, a station arriving, leaving or acknowledging) puts
 * a new state there, and jpb sends it to every copy at once, in order.
 *
 * <p>A station is a user: once logged in and attached (or holding the copy), it is on the
 * roster for the rest of the procedure, connected or not. The steps in {@link #NEEDS_ACK} wait
 * until every station on the roster has acknowledged them; until then {@link #advance} fails
 * with {@link StepNotReadyError} naming who is missing, and the state lists them, a station
 * that lost its connection included: it is waited for until it comes back (logs in again) and
 * acknowledges. This is why the procedure is not a {@link dev.jpb.cache.StepBarrier}: that
 * counts connections, and stops waiting for one that drops, where the lab waits for the
 * station. Thread-safe (a monitor).
 */
public final class LabProcedure {
    /** The key of the one entry of {@link #copies()}. */
    public static final String KEY = "state";
    /** The steps, in order. */
    public static final List<String> STEPS = List.of("prepare", "calibrate", "acquire",
            "review");
    /** What each step is about, by index. */
    public static final List<String> ABOUT = List.of("set up the samples and the stations",
            "every station calibrates its instrument and acknowledges",
            "every station acquires its data and acknowledges",
            "look at the results together");
    /** The indexes of the steps that wait for every station's acknowledgement. */
    public static final Set<Integer> NEEDS_ACK = Set.of(1, 2);

    private final CacheableMap<String, Object> copies = new CacheableMap<>();
    private int current; // guarded by this
    private final Map<String, Role> roster = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Integer> sessions = new LinkedHashMap<>(); // guarded by this
    private final Set<String> acked = new LinkedHashSet<>(); // guarded by this

    /** Creates a procedure at its first step with no station. */
    public LabProcedure() {
        synchronized (this) {
            publish();
        }
    }

    /** Returns the observed map every station gets a copy of (its one key: {@value #KEY}). */
    public CacheableMap<String, Object> copies() {
        return copies;
    }

    /** A session of {@code user} joined: it is (again) a connected station. */
    public synchronized void joined(String user, Role role) {
        roster.putIfAbsent(requireNonNull(user, "user"), requireNonNull(role, "role"));
        sessions.merge(user, 1, Integer::sum);
        publish();
    }

    /** A session of {@code user} ended: without another, the station shows as disconnected. */
    public synchronized void left(String user) {
        sessions.computeIfPresent(user, (u, n) -> n > 1 ? n - 1 : null);
        publish();
    }

    /**
     * Records that {@code user}'s station has done step {@code step} (0-based).
     *
     * @return whether it counted: false if {@code step} is not the current one or needs no
     *     acknowledgement, or the user is not a station
     */
    public synchronized boolean acknowledge(String user, int step) {
        if (step != current || !NEEDS_ACK.contains(step) || !roster.containsKey(user)
                || !acked.add(user)) {
            return false;
        }
        publish();
        return true;
    }

    /**
     * Moves to the next step, as the operator {@code user} asked.
     *
     * @return the new step's index
     * @throws StepNotReadyError if the current step waits for acknowledgements, or it is the last
     */
    public synchronized int advance(String user) {
        List<String> missing = missing();
        if (!missing.isEmpty()) {
            throw new StepNotReadyError("step " + (current + 1) + " (" + STEPS.get(current)
                    + ") still waits for " + String.join(", ", missing) + " to acknowledge"
                    + "; wait for them, or ask them to press Acknowledge", missing);
        }
        if (current == STEPS.size() - 1) {
            throw new StepNotReadyError("the procedure is at its last step ("
                    + STEPS.get(current) + "); there is no next step", List.of());
        }
        current++;
        acked.clear();
        publish();
        return current;
    }

    /** Returns the current step's index (0-based). */
    public synchronized int current() {
        return current;
    }

    /** Returns the stations the current step waits for (empty if it needs no acknowledgement). */
    public synchronized List<String> missing() {
        List<String> out = new ArrayList<>();
        if (NEEDS_ACK.contains(current)) {
            for (String user : roster.keySet()) {
                if (!acked.contains(user)) {
                    out.add(user);
                }
            }
        }
        return out;
    }

    /**
     * Returns the state as the stations see it: {@code steps}, {@code current},
     * {@code about}, {@code needsAck}, {@code stations} (maps of {@code name}, {@code role},
     * {@code connected}, {@code acknowledged}), {@code missing} and {@code ready}.
     */
    public synchronized Map<String, Object> state() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", STEPS);
        s.put("current", current);
        s.put("about", ABOUT.get(current));
        s.put("needsAck", NEEDS_ACK.contains(current));
        List<Map<String, Object>> stations = new ArrayList<>();
        roster.forEach((user, role) -> {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("name", user);
            st.put("role", role.name().toLowerCase(Locale.ROOT));
            st.put("connected", sessions.containsKey(user));
            st.put("acknowledged", acked.contains(user));
            stations.add(st);
        });
        s.put("stations", stations);
        List<String> missing = missing();
        s.put("missing", missing);
        s.put("ready", missing.isEmpty() && current < STEPS.size() - 1);
        return s;
    }

    private void publish() {
        copies.put(KEY, state());
    }
}
