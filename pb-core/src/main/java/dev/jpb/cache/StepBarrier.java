package dev.jpb.cache;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.CallContext;
import dev.jpb.Cacheable;
import dev.jpb.Connection;
import dev.jpb.Observer;
import dev.jpb.Referenceable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Walks every client that holds a copy through the steps of a procedure together. Send the
 * barrier to the clients (for instance from a {@code remote_} method); each gets a {@link
 * StepView}. {@link #advance} announces the next step: every copy changes to it, in order, and
 * the returned future completes once all the clients observing at that moment (or a quorum)
 * have {@linkplain StepView#acknowledge() acknowledged} it, or fails with a {@link
 * StepTimeoutException} naming those that did not. A client that drops its copy or its
 * connection during a step is no longer waited for. Built on {@link Cacheable}: no wire of its
 * own. Thread-safe (a monitor).
 *
 * <p><b>By user.</b> A barrier made with {@link #byUser()} waits for <em>stations</em>, not
 * connections: a station is a user (the avatar id of a login) that held a copy on a logged-in
 * connection or was {@linkplain #join joined} by the server, and it stays on the roster when
 * its connection drops. A step waits for every station on the roster, connected or not, until
 * each has acknowledged it (from its copy, or {@link #acknowledge(String, int)} on the
 * server); a station that comes back (reconnects, logs in again, fetches a copy) is at the
 * current step at once and acknowledges as the same user. The timeout names the stations
 * still missing and which of them are disconnected; {@link #missing()} and
 * {@link #stations()} say the same at any time, and {@link #onChange} hears of every change.
 * A disconnected station that will not come back is taken off the roster with
 * {@link #removeStation}.
 */
public final class StepBarrier extends Cacheable {
    private final Acks acks = new Acks();
    private final Map<Observer, Participant> participants = new LinkedHashMap<>(); // this
    private final boolean byUser; // written once
    private final Map<String, Member> roster = new LinkedHashMap<>(); // this; byUser only
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private int step; // guarded by this: 0 until the first advance
    private String label = ""; // guarded by this
    private Round round; // guarded by this: the step being acknowledged, or null

    /** Creates a barrier at step 0 that waits for the connections observing it. */
    public StepBarrier() {
        this(false);
    }

    private StepBarrier(boolean byUser) {
        this.byUser = byUser;
    }

    /**
     * Creates a barrier at step 0 that waits for users, by avatar id, across their
     * connections: see "By user" above. A copy on a connection that has not logged in watches
     * the steps but is no station.
     *
     * @return a new barrier that acknowledges by user
     */
    public static StepBarrier byUser() {
        return new StepBarrier(true);
    }

    /** {@return whether this barrier waits for users ({@link #byUser()}), not connections} */
    public boolean isByUser() {
        return byUser;
    }

    /**
     * A station of a {@link #byUser()} barrier, as {@link #stations()} reports it.
     *
     * @param user the user's avatar id
     * @param connected whether it holds a copy or was joined on a connection still open
     * @param acknowledged whether it acknowledged the current step
     */
    public record Station(String user, boolean connected, boolean acknowledged) {
    }

    /**
     * Announces the next step and waits for every client observing now to acknowledge it.
     *
     * @param label what the step is (shown by the clients)
     * @param timeout how long to wait for the acknowledgements
     * @return completes with the step's number, or fails with {@link StepTimeoutException}
     */
    public CompletableFuture<Integer> advance(String label, Duration timeout) {
        return advance(label, -1, timeout);
    }

    /**
     * Announces the next step and waits for {@code quorum} clients to acknowledge it. A step
     * still waiting when the next is announced fails with {@link StepTimeoutException}.
     *
     * @param label what the step is
     * @param quorum how many acknowledgements suffice; -1 for all clients observing now (for
     *     a {@link #byUser()} barrier: every station on the roster, connected or not, those
     *     that arrive during the step included)
     * @param timeout how long to wait
     * @return completes with the step's number, or fails with {@link StepTimeoutException}
     * @throws IllegalArgumentException if {@code quorum} is below -1 or the timeout not positive
     */
    public CompletableFuture<Integer> advance(String label, int quorum, Duration timeout) {
        requireNonNull(label, "label");
        requireNonNull(timeout, "timeout");
        checkArgument(quorum >= -1, "quorum: %s (expected: >= 0, or -1 for all)", quorum);
        checkArgument(!timeout.isNegative() && !timeout.isZero(),
                "timeout: %s (expected: > 0)", timeout);
        Round r;
        Round previous;
        synchronized (this) {
            previous = round;
            step++;
            this.label = label;
            r = new Round(step, label, quorum, timeout, new LinkedHashSet<>(
                    participants.values()));
            round = r;
            callRemoteAll(participants.keySet(), "step", step, label);
            r.checkDone();
        }
        if (previous != null) {
            previous.timeout("superseded by step " + r.step);
        }
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> r.timeout("not acknowledged within " + timeout));
        changed();
        return r.future;
    }

    /**
     * Records, on the server, that {@code user}'s station has done step {@code n}: what its
     * copy's {@link StepView#acknowledge()} does from the client.
     *
     * @param user the user's avatar id
     * @param n the step acknowledged
     * @return whether it counted: false if the user is no station, {@code n} is not the
     *     current step, the step waits for nobody any more (done, or no acknowledgement
     *     needed), or the user acknowledged it already
     * @throws IllegalStateException if this barrier was not made with {@link #byUser()}
     */
    public boolean acknowledge(String user, int n) {
        requireNonNull(user, "user");
        checkState(byUser, "acknowledge(user, step) is for a StepBarrier.byUser(); this one"
                + " counts connections: acknowledge from the copy (StepView.acknowledge())");
        boolean counted;
        synchronized (this) {
            counted = roster.containsKey(user) && round != null && round.step == n
                    && round.ackedBy(user);
        }
        if (counted) {
            changed();
        }
        return counted;
    }

    /**
     * Makes {@code user} a station of a {@link #byUser()} barrier, connected through
     * {@code connection}, for a station that follows the steps without holding this barrier's
     * copy (say, a screen fed by another cacheable). It counts as connected until
     * {@link #leave} or the connection closes, and stays on the roster after that. Joining
     * again on another connection (the user came back) counts as connected again.
     *
     * @param user the user's avatar id
     * @param connection the connection the user is on
     * @throws IllegalStateException if this barrier was not made with {@link #byUser()}
     */
    public void join(String user, Connection connection) {
        requireNonNull(user, "user");
        requireNonNull(connection, "connection");
        checkState(byUser, "join(user, connection) is for a StepBarrier.byUser()");
        synchronized (this) {
            member(user).sessions.merge(connection, 1, Integer::sum);
        }
        changed();
        connection.closeFuture().whenComplete((v, t) -> leaveAll(user, connection));
    }

    /**
     * Undoes one {@link #join} of {@code user} on {@code connection} (a logout): without
     * another session or copy, the station shows as disconnected, and is still waited for.
     *
     * @param user the user's avatar id
     * @param connection the connection it joined on
     */
    public void leave(String user, Connection connection) {
        boolean left;
        synchronized (this) {
            Member m = roster.get(user);
            left = m != null && m.sessions.computeIfPresent(connection,
                    (c, n) -> n > 1 ? n - 1 : null) == null;
        }
        if (left) {
            changed();
        }
    }

    /**
     * Takes the station of {@code user} off the roster of a {@link #byUser()} barrier, for a
     * station that will not come back (its machine is gone, the person went home): the steps
     * stop waiting for it, and the current step completes at once if it waited for no one
     * else. Only a disconnected station can be removed. If the user comes back later (holds
     * a copy again, or is {@linkplain #join joined}), it is a station again from then on, at
     * the current step, and is waited for like any other.
     *
     * @param user the user's avatar id
     * @return true if the station was on the roster and is off it now; false if it was not on
     *     the roster
     * @throws IllegalStateException if this barrier was not made with {@link #byUser()}, or
     *     the station is connected (wait for it, or close its connection first)
     */
    public boolean removeStation(String user) {
        requireNonNull(user, "user");
        checkState(byUser, "removeStation(user) is for a StepBarrier.byUser(); this one counts"
                + " connections, and stops waiting for one when it closes");
        synchronized (this) {
            Member m = roster.get(user);
            if (m == null) {
                return false;
            }
            checkState(!m.connected(), "station %s is connected (%s copies, %s sessions): only"
                    + " a station that lost its connection can be removed; wait for its"
                    + " acknowledgement, or close its connection first", user, m.copies.size(),
                    m.sessions.size());
            roster.remove(user);
            if (round != null) {
                round.checkDone();
            }
        }
        changed();
        return true;
    }

    private void leaveAll(String user, Connection connection) {
        boolean left;
        synchronized (this) {
            Member m = roster.get(user);
            left = m != null && m.sessions.remove(connection) != null;
        }
        if (left) {
            changed();
        }
    }

    /**
     * Returns who the current step still waits for: station ids for a {@link #byUser()}
     * barrier (connected or not, in roster order), connection names otherwise; empty when no
     * step waits (before the first, once acknowledged, or with a quorum met).
     *
     * @return who the current step still waits for
     */
    public synchronized List<String> missing() {
        return round == null || round.future.isDone() && !round.timedOut ? List.of()
                : round.missing();
    }

    /**
     * Returns the stations of a {@link #byUser()} barrier, in the order they first came
     * (empty for a barrier that counts connections).
     *
     * @return the stations, each with whether it is connected and acknowledged the step
     */
    public synchronized List<Station> stations() {
        List<Station> out = new ArrayList<>();
        for (Member m : roster.values()) {
            out.add(new Station(m.user, m.connected(),
                    round != null && round.ackedUsers.contains(m.user)));
        }
        return out;
    }

    /**
     * Runs {@code listener} after every change: a step announced, a station arriving,
     * dropping or acknowledging. On the thread that made the change, outside the barrier's
     * lock (read the barrier's state from it: it is at least as new as the change).
     *
     * @param listener what to run
     */
    public void onChange(Runnable listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    private void changed() {
        for (Runnable l : listeners) {
            l.run();
        }
    }

    private Member member(String user) { // guarded by this
        return roster.computeIfAbsent(user, Member::new);
    }

    /**
     * Returns the current step (0 before the first {@link #advance}).
     *
     * @return the current step (0 before the first {@link #advance})
     */
    public synchronized int step() {
        return step;
    }

    /**
     * Returns the names of the clients observing now.
     *
     * @return the names of the clients observing now
     */
    public synchronized List<String> participants() {
        List<String> names = new ArrayList<>();
        for (Participant p : participants.values()) {
            names.add(p.name());
        }
        return names;
    }

    @Override
    protected Object stateFor(Observer observer) {
        List<Object> state;
        boolean station = false;
        synchronized (this) {
            Participant p = new Participant(observer);
            participants.put(observer, p);
            if (byUser && observer.avatarId().isPresent()) {
                p.user = observer.avatarId().get();
                p.name = p.user;
                member(p.user).copies.add(observer);
                station = true;
            }
            state = new ArrayList<>(Arrays.asList(step, label, acks));
        }
        if (station) {
            changed();
        }
        return state;
    }

    @Override
    protected void stoppedObserving(Observer observer) {
        boolean station = false;
        synchronized (this) {
            Participant p = participants.remove(observer);
            if (p != null && p.user != null) {
                // a station is still waited for: it may come back
                Member m = roster.get(p.user);
                station = m != null && m.copies.remove(observer);
            } else if (p != null && round != null) {
                round.left(p);
            }
        }
        if (station) {
            changed();
        }
    }

    private void acknowledged(Connection from, int acked) {
        String user;
        synchronized (this) {
            Participant p = byConnection(from);
            if (p == null || round == null || round.step != acked) {
                return;
            }
            if (!byUser) {
                round.acked(p);
                return;
            }
            user = p.user;
        }
        if (user != null) {
            acknowledge(user, acked);
        }
    }

    private synchronized void named(Connection from, String name) {
        Participant p = byConnection(from);
        if (p != null && p.user == null) { // a station's name is its user
            p.name = name;
        }
    }

    private Participant byConnection(Connection c) {
        for (Participant p : participants.values()) {
            if (p.connection == c) {
                return p;
            }
        }
        return null;
    }

    /** What the copies call back: acknowledgements and names. */
    public final class Acks extends Referenceable {
        private Acks() {
        }

        /**
         * A client acknowledges {@code step}. Called by {@link StepView#acknowledge()}.
         *
         * @param acked the step acknowledged
         */
        public void remote_ack(int acked) {
            acknowledged(CallContext.current().connection(), acked);
        }

        /**
         * A client gives its name. Called by {@link StepView#join}.
         *
         * @param name the name
         */
        public void remote_join(String name) {
            named(CallContext.current().connection(), requireNonNull(name, "name"));
        }
    }

    private static final class Participant {
        final Connection connection;
        String name; // guarded by the barrier
        String user; // written once, in stateFor: the station's user, or null

        Participant(Observer observer) {
            this.connection = observer.connection();
        }

        String name() {
            return name != null ? name + " (" + connection + ")" : connection.toString();
        }
    }

    /** A station of a by-user barrier: a user, on the roster for good. Guarded by it. */
    private static final class Member {
        final String user;
        final Set<Observer> copies = new LinkedHashSet<>();
        final Map<Connection, Integer> sessions = new LinkedHashMap<>();

        Member(String user) {
            this.user = user;
        }

        boolean connected() {
            return !copies.isEmpty() || !sessions.isEmpty();
        }
    }

    /** One step being acknowledged. Guarded by the barrier, except its future. */
    private final class Round {
        final int step;
        final String label;
        final int quorum;
        final Duration timeout;
        final Set<Participant> waiting;
        final Set<Participant> acked = new LinkedHashSet<>();
        final Set<String> ackedUsers = new LinkedHashSet<>(); // by user
        final CompletableFuture<Integer> future = new CompletableFuture<>();
        boolean timedOut; // the future failed by the timeout, the step still waits

        Round(int step, String label, int quorum, Duration timeout, Set<Participant> waiting) {
            this.step = step;
            this.label = label;
            this.quorum = quorum;
            this.timeout = timeout;
            this.waiting = waiting;
        }

        void acked(Participant p) {
            if (waiting.remove(p) || quorum >= 0) {
                acked.add(p);
            }
            checkDone();
        }

        void left(Participant p) {
            waiting.remove(p);
            checkDone();
        }

        /** A station acknowledged; whether it counted (by user). */
        boolean ackedBy(String user) {
            if (future.isDone() && !timedOut || !ackedUsers.add(user)) {
                return false;
            }
            checkDone();
            return true;
        }

        /** Who this step waits for (guarded by the barrier). */
        List<String> missing() {
            List<String> out = new ArrayList<>();
            if (byUser) {
                for (String user : roster.keySet()) {
                    if (!ackedUsers.contains(user)) {
                        out.add(user);
                    }
                }
            } else {
                for (Participant p : waiting) {
                    out.add(p.name());
                }
            }
            return out;
        }

        void checkDone() {
            boolean done;
            if (byUser) {
                done = quorum < 0 ? ackedUsers.containsAll(roster.keySet())
                        : ackedUsers.size() >= quorum;
            } else {
                done = quorum < 0 ? waiting.isEmpty() : acked.size() >= quorum;
            }
            if (done) {
                timedOut = false;
                future.complete(step);
            }
        }

        void timeout(String why) {
            List<String> missing;
            List<String> shown = new ArrayList<>();
            int count;
            synchronized (StepBarrier.this) {
                if (future.isDone()) {
                    return;
                }
                missing = missing();
                for (String m : missing) {
                    Member member = byUser ? roster.get(m) : null;
                    shown.add(member != null && !member.connected() ? m + " (disconnected)" : m);
                }
                count = byUser ? ackedUsers.size() : acked.size();
                timedOut = !why.startsWith("superseded"); // still waits, and says so
            }
            String need = quorum < 0 ? (byUser ? "every station" : "all clients")
                    : quorum + (byUser ? " stations" : " clients");
            future.completeExceptionally(new StepTimeoutException(step, label, missing,
                    "step " + step + " (\"" + label + "\") " + why + ": waited for " + need
                    + ", " + count + " acknowledged; missing: "
                    + (missing.isEmpty() ? "none (too few clients)" : String.join(", ", shown))
                    + ". Give the clients more time, or advance with a quorum"));
        }
    }
}
