package dev.jpb.internal.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls (and ROOT requests) this end sent and whose answer it waits for, by request id.
 * A call's future is completed only by whoever {@link #remove removes} it, so it is completed
 * once however an answer, a send failure and the connection's loss race. Thread-safe.
 */
final class PendingCalls {
    private final Map<Long, PbFuture<Object>> calls = new ConcurrentHashMap<>();
    private final AtomicLong lastId = new AtomicLong();

    /** Registers a new call's future and returns its request id (1, 2, 3, ...; never 0). */
    long add(PbFuture<Object> future) {
        long id = lastId.incrementAndGet();
        calls.put(id, future);
        return id;
    }

    /** Removes and returns the call's future, or null if it is not (any longer) pending. */
    PbFuture<Object> remove(long requestId) {
        return calls.remove(requestId);
    }

    /** Removes every pending call and returns their futures. */
    List<PbFuture<Object>> removeAll() {
        List<PbFuture<Object>> removed = new ArrayList<>();
        for (Long id : List.copyOf(calls.keySet())) {
            PbFuture<Object> f = calls.remove(id);
            if (f != null) {
                removed.add(f);
            }
        }
        return removed;
    }

    int size() {
        return calls.size();
    }
}
