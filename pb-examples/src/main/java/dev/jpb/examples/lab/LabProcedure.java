package dev.jpb.examples.lab;

import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.cache.CacheableMap;
import dev.jpb.cache.StepBarrier;
import dev.jpb.cache.StepTimeoutException;
import dev.jpb.examples.lab.data.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's multi-step procedure (prepare, calibrate, acquire, review), driven by an operator
 * and followed live by every station. The waiting is jpb's: a {@link StepBarrier#byUser()}
 * ({@link #steps()}) holds the current step, the roster of stations and who acknowledged.
 * What the stations' screens show is one value under the key {@value #KEY} of a
 * {@link CacheableMap} that every station holds a copy of ({@link #copies()}): each change of
 * the barrier (a step, a station arriving, leaving or acknowledging) puts a new state there,
 * and jpb sends it to every copy at once, in order.
 *
 * <p>A station is a user: once logged in and attached (or holding the copy), it is on the
 * roster for the rest of the procedure, connected or not. The steps in {@link #NEEDS_ACK} wait
 * until every station on the roster has acknowledged them; until then {@link #advance} fails
 * with {@link StepNotReadyError} naming who is missing, and the state lists them, a station
 * that lost its connection included: the barrier waits for it until it comes back (logs in
 * again) and acknowledges, or an operator takes it off the roster ({@link #removeStation}).
 * Thread-safe (a monitor, taken before the barrier's).
 */
public final class LabProcedure {
    private static final Logger LOG = LoggerFactory.getLogger(LabProcedure.class);
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
    /**
     * How long a step waits before the barrier's timeout names, in the log, the stations it
     * still waits for; the step goes on waiting for them after that.
     */
    public static final Duration STEP_TIMEOUT = Duration.ofHours(12);

    private final CacheableMap<String, Object> copies = new CacheableMap<>();
    private final StepBarrier steps = StepBarrier.byUser();
    private final Map<String, Role> roles = new ConcurrentHashMap<>(); // what each user is

    /** Creates a procedure at its first step with no station. */
    public LabProcedure() {
        steps.onChange(this::publish);
        publish();
    }

    /** Returns the observed map every station gets a copy of (its one key: {@value #KEY}). */
    public CacheableMap<String, Object> copies() {
        return copies;
    }

    /** Returns the barrier that waits for the stations (step 0 is "prepare"). */
    public StepBarrier steps() {
        return steps;
    }

    /**
     * A session of {@code user} joined on {@code connection}: it is (again) a connected
     * station, until that connection closes or {@link #left} says the session ended.
     */
    public void joined(String user, Role role, Connection connection) {
        roles.putIfAbsent(requireNonNull(user, "user"), requireNonNull(role, "role"));
        steps.join(user, connection);
    }

    /** A session of {@code user} ended: without another, the station shows as disconnected. */
    public void left(String user, Connection connection) {
        steps.leave(user, connection);
    }

    /**
     * Records that {@code user}'s station has done step {@code step} (0-based).
     *
     * @return whether it counted: false if {@code step} is not the current one or needs no
     *     acknowledgement, or the user is not a station
     */
    public boolean acknowledge(String user, int step) {
        return NEEDS_ACK.contains(step) && steps.acknowledge(user, step);
    }

    /**
     * Moves to the next step, as the operator {@code user} asked.
     *
     * @return the new step's index
     * @throws StepNotReadyError if the current step waits for acknowledgements, or it is the last
     */
    public synchronized int advance(String user) {
        int current = steps.step();
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
        int next = current + 1;
        LOG.info("{} moved the procedure to step {} ({})", user, next + 1, STEPS.get(next));
        steps.advance(STEPS.get(next), NEEDS_ACK.contains(next) ? -1 : 0, STEP_TIMEOUT)
                .whenComplete((n, t) -> {
                    if (t instanceof StepTimeoutException e) {
                        LOG.warn("{}", e.getMessage());
                    }
                });
        return next;
    }

    /**
     * Takes {@code station} off the roster, as the operator {@code user} asked: for a station
     * that lost its connection and will not come back, so that the steps stop waiting for it
     * (the current one may then be ready). If that user logs in again later, it is a station
     * again from then on.
     *
     * @throws StationError if the station is connected, or there is no such station
     */
    public synchronized void removeStation(String user, String station) {
        requireNonNull(station, "station");
        boolean removed;
        try {
            removed = steps.removeStation(station);
        } catch (IllegalStateException e) {
            throw new StationError("station " + station + " is connected: it can still"
                    + " acknowledge, so it stays; only a station that lost its connection can"
                    + " be removed", station);
        }
        if (!removed) {
            throw new StationError("there is no station " + station + " on the roster; the"
                    + " stations are " + steps.stations().stream().map(StepBarrier.Station::user)
                    .toList(), station);
        }
        int current = steps.step();
        LOG.info("{} removed station {} from the roster at step {} ({})", user, station,
                current + 1, STEPS.get(current));
    }

    /** Returns the current step's index (0-based). */
    public int current() {
        return steps.step();
    }

    /** Returns the stations the current step waits for (empty if it needs no acknowledgement). */
    public List<String> missing() {
        return NEEDS_ACK.contains(steps.step()) ? steps.missing() : List.of();
    }

    /**
     * Returns the state as the stations see it: {@code steps}, {@code current},
     * {@code about}, {@code needsAck}, {@code stations} (maps of {@code name}, {@code role},
     * {@code connected}, {@code acknowledged}), {@code missing} and {@code ready}.
     */
    public synchronized Map<String, Object> state() {
        int current = steps.step();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("steps", STEPS);
        s.put("current", current);
        s.put("about", ABOUT.get(current));
        s.put("needsAck", NEEDS_ACK.contains(current));
        List<Map<String, Object>> stations = new ArrayList<>();
        for (StepBarrier.Station station : steps.stations()) {
            Map<String, Object> st = new LinkedHashMap<>();
            st.put("name", station.user());
            Role role = roles.get(station.user());
            st.put("role", role == null ? "" : role.name().toLowerCase(Locale.ROOT));
            st.put("connected", station.connected());
            st.put("acknowledged", station.acknowledged());
            stations.add(st);
        }
        s.put("stations", stations);
        List<String> missing = missing();
        s.put("missing", missing);
        s.put("ready", missing.isEmpty() && current < STEPS.size() - 1);
        return s;
    }

    /** Puts the state in the copies; after every change of the barrier. */
    private synchronized void publish() {
        copies.put(KEY, state());
    }
}
