package dev.jpb.internal.codec;

import dev.jpb.LimitExceededException;
import java.util.Arrays;

/**
 * What decoding one message may cost beyond its bytes, counted in O(1) per value read: the
 * values read ({@code maxMessageValues}) and the hashing and comparing its sets and maps cause
 * ({@code maxMessageWork}).
 *
 * <p>The hashing cost of a value is its <em>weight</em>: the size of its graph with every value
 * counted as often as it can be reached, which is what a deep {@code hashCode} or
 * {@code equals} visits. Weights are kept per reference id, so a back-reference to an object
 * already read adds that object's whole weight in one step: {@code L0 = [L1, L1], L1 = [L2,
 * L2], ...} sixty levels deep weighs 2^60 after sixty reads. A back-reference to an object
 * still being read closes a cycle, which a deep {@code hashCode} never leaves: it weighs
 * {@link #CAP}, so a set or map key holding a cycle is refused before hashing it (pb-fuzz found
 * 210 bytes of lists closing cycles whose hashing took 35 s to overflow the stack). Weights
 * saturate at {@link #CAP}.
 *
 * <p>Owned by one Kryo (one thread); {@link #start} begins each message.
 */
final class ReadBudget {
    /** Weights saturate here: far above any budget, far below overflow when added up. */
    static final long CAP = 1L << 56;
    /** The weight of an object still being read: a back-reference to it closes a cycle. */
    private static final long READING = -1;

    private long[] weights = new long[64]; // by reference id, of this message's objects
    private int ids;                       // reference ids handed out in this message
    private long work;                     // weight read so far in this message
    private int backReference = -1;        // id the current read resolved to, or -1
    private long lastWeight;               // weight of the value the last read returned
    private int values;
    private int maxValues;
    private long spent;                    // hashing and comparing charged so far
    private long maxWork;

    /** Begins a message with the given limits. */
    void start(int maxValues, long maxWork) {
        this.maxValues = maxValues;
        this.maxWork = maxWork;
        ids = 0;
        work = 0;
        values = 0;
        spent = 0;
        backReference = -1;
        lastWeight = 0;
    }

    /** Called as a value's read begins; returns the weight read so far (the read's start). */
    long enter() {
        if (++values > maxValues) {
            throw new LimitExceededException("message holds more than maxMessageValues ("
                    + maxValues + ") values; send fewer per call, or raise"
                    + " Limits.maxMessageValues on the receiving end");
        }
        backReference = -1;
        return work++;
    }

    /** Returns the next reference id, as the reference resolver hands it out. */
    int ids() {
        return ids;
    }

    /** Records that the resolver handed out reference id {@code id} (always {@link #ids()}). */
    void newId(int id) {
        if (id >= weights.length) {
            weights = Arrays.copyOf(weights, Math.max(id + 1, weights.length * 2));
        }
        weights[id] = READING; // until its read completes
        ids = id + 1;
    }

    /** Records that the current read is a back-reference to {@code id}. */
    void backReference(int id) {
        backReference = id;
    }

    /**
     * Called as a value's read ends: {@code start} is what {@link #enter} returned and
     * {@code slot} the value of {@link #ids()} before the read, the value's id if it got one.
     */
    void leave(long start, int slot) {
        long w;
        if (work == start + 1 && backReference >= 0) {
            // nothing was read below this value: it is the back-reference itself
            long known = backReference < ids ? weights[backReference] : 1;
            w = known == READING ? CAP : known;
            work = Math.min(CAP, work + w - 1);
            backReference = -1;
        } else {
            w = Math.min(CAP, work - start);
            if (slot < ids) {
                weights[slot] = w;
            }
        }
        lastWeight = w;
    }

    /** Returns the weight of the value the last completed read returned. */
    long lastWeight() {
        return lastWeight;
    }

    /** Checks that a container may declare {@code count} elements within the values left. */
    void checkCount(int count) {
        if (count > (long) maxValues - values) {
            throw new LimitExceededException("a collection declares " + count
                    + " elements, more than the " + ((long) maxValues - values) + " values left"
                    + " of maxMessageValues (" + maxValues + "); send fewer per call, or raise"
                    + " Limits.maxMessageValues on the receiving end");
        }
    }

    /** Charges {@code units} of hashing or comparing, before they are spent. */
    void charge(long units) {
        spent = Math.min(CAP, spent + units);
        if (spent > maxWork) {
            throw new LimitExceededException("building the sets and maps of this message would"
                    + " hash or compare more than maxMessageWork (" + maxWork + ") values"
                    + " (a value reachable through several references counts each time);"
                    + " send smaller or less shared sets and maps, or raise"
                    + " Limits.maxMessageWork on the receiving end");
        }
    }
}
