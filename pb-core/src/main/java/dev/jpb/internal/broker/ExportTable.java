package dev.jpb.internal.broker;

import dev.jpb.LimitExceededException;
import dev.jpb.Referenceable;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Our objects the peer holds references to: id to object with a count of sends not yet given
 * back. Thread-safe (a monitor; touched mostly by the connection's event loop).
 */
final class ExportTable {
    private final Map<Referenceable, Entry> byObject = new IdentityHashMap<>();
    private final Map<Long, Entry> byId = new HashMap<>();
    private final int max;
    private long nextId = 1;

    ExportTable(int max) {
        this.max = max;
    }

    /** Counts one more send of {@code object} and returns its id. */
    synchronized long export(Referenceable object) {
        Entry e = byObject.get(object);
        if (e == null) {
            if (byId.size() >= max) {
                throw new LimitExceededException("connection already exports maxExportedObjects ("
                        + max + ") objects; release references or raise"
                        + " Limits.maxExportedObjects");
            }
            e = new Entry(nextId++, object);
            byObject.put(object, e);
            byId.put(e.id, e);
        }
        e.count++;
        return e.id;
    }

    /**
     * Gives back {@code count} sends of {@code id}.
     *
     * @return false if the id is unknown or the count larger than what was sent
     */
    synchronized boolean release(long id, long count) {
        Entry e = byId.get(id);
        if (e == null) {
            return false;
        }
        e.count -= count;
        if (e.count <= 0) {
            byId.remove(id);
            byObject.remove(e.object);
        }
        return e.count >= 0;
    }

    synchronized Referenceable get(long id) {
        Entry e = byId.get(id);
        return e == null ? null : e.object;
    }

    synchronized int size() {
        return byId.size();
    }

    synchronized void clear() {
        byId.clear();
        byObject.clear();
    }

    private static final class Entry {
        final long id;
        final Referenceable object;
        long count;

        Entry(long id, Referenceable object) {
            this.id = id;
            this.object = object;
        }
    }
}
