package dev.jpb.cache;

import static com.google.common.base.Preconditions.checkArgument;
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
 */
public final class StepBarrier extends Cacheable {
    private final Acks acks = new Acks();
    private final Map<Observer, Participant> participants = new LinkedHashMap<>(); // this
    private int step; // guarded by this: 0 until the first advance
    private String label = ""; // guarded by this
    private Round round; // guarded by this: the step being acknowledged, or null

    /** Creates a barrier at step 0. */
    public StepBarrier() {
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
     * @param quorum how many acknowledgements suffice; -1 for all clients observing now
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
        return r.future;
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
    protected synchronized Object stateFor(Observer observer) {
        participants.put(observer, new Participant(observer.connection()));
        return new ArrayList<>(Arrays.asList(step, label, acks));
    }

    @Override
    protected void stoppedObserving(Observer observer) {
        synchronized (this) {
            Participant p = participants.remove(observer);
            if (p != null && round != null) {
                round.left(p);
            }
        }
    }

    private synchronized void acknowledged(Connection from, int acked) {
        Participant p = byConnection(from);
        if (p != null && round != null && round.step == acked) {
            round.acked(p);
        }
    }

    private synchronized void named(Connection from, String name) {
        Participant p = byConnection(from);
        if (p != null) {
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

        Participant(Connection connection) {
            this.connection = connection;
        }

        String name() {
            return name != null ? name + " (" + connection + ")" : connection.toString();
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
        final CompletableFuture<Integer> future = new CompletableFuture<>();

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

        void checkDone() {
            boolean done = quorum < 0 ? waiting.isEmpty() : acked.size() >= quorum;
            if (done) {
                future.complete(step);
            }
        }

        void timeout(String why) {
            if (future.isDone()) {
                return;
            }
            List<String> missing = new ArrayList<>();
            synchronized (StepBarrier.this) {
                for (Participant p : waiting) {
                    missing.add(p.name());
                }
            }
            String need = quorum < 0 ? "all clients" : quorum + " clients";
            future.completeExceptionally(new StepTimeoutException(step, label, missing,
                    "step " + step + " (\"" + label + "\") " + why + ": waited for " + need
                    + ", " + acked.size() + " acknowledged; missing: "
                    + (missing.isEmpty() ? "none (too few clients)" : String.join(", ", missing))
                    + ". Give the clients more time, or advance with a quorum"));
        }
    }
}
