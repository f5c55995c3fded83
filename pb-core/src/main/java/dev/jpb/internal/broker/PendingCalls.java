package dev.jpb.internal.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls (and ROOT requests) this end sent and whose answer it waits for, by request id.
 * A call's future is completed only by whoever {@link #remove removes} it, so it is completed
 * once however an answer, a send failure and the connection's loss race. Thread-safe.
 *
 * <p>Request ids are sequential, so a call lives in the slot of a small ring its id names (no
 * boxed key, no map node per call); a call still pending when a later id needs its slot (one
 * that waits for a long time while many more are made) moves that later call to an overflow
 * map. A slot's call is taken only by the id it was added under.
 */
final class PendingCalls {
    private static final int SLOTS = 256; // a power of two; 1 KiB or so per connection
    private final AtomicReferenceArray<PbFuture<Object>> ring = new AtomicReferenceArray<>(SLOTS);
    private final Map<Long, PbFuture<Object>> overflow = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    /** Registers a new call's future and returns its request id (1, 2, 3, ...; never 0). */
    long add(PbFuture<Object> future) {
        long id = lastId.incrementAndGet();
        future.pendingId = id; // published by the slot's CAS (or the map)
        if (!ring.compareAndSet(slot(id), null, future)) {
            overflow.put(id, future);
        }
        return id;
    }

    /** Removes and returns the call's future, or null if it is not (any longer) pending. */
    PbFuture<Object> remove(long requestId) {
        int slot = slot(requestId);
        PbFuture<Object> f = ring.get(slot);
        if (f != null && f.pendingId == requestId && ring.compareAndSet(slot, f, null)) {
            return f;
        }
        return overflow.isEmpty() ? null : overflow.remove(requestId);
    }

    /** Removes every pending call and returns their futures. */
    List<PbFuture<Object>> removeAll() {
        List<PbFuture<Object>> removed = new ArrayList<>();
        for (int i = 0; i < SLOTS; i++) {
            PbFuture<Object> f = ring.getAndSet(i, null);
            if (f != null) {
                removed.add(f);
            }
        }
        for (Long id : List.copyOf(overflow.keySet())) {
            PbFuture<Object> f = overflow.remove(id);
            if (f != null) {
                removed.add(f);
            }
        }
        return removed;
    }

    /** Counts the pending calls (a scan: for tests and diagnostics). */
    int size() {
        int n = overflow.size();
        for (int i = 0; i < SLOTS; i++) {
            if (ring.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private static int slot(long id) {
        return (int) id & (SLOTS - 1);
    }
}
