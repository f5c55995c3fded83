package dev.jpb.internal.broker;

import dev.jpb.LimitExceededException;
import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.jpb.Referenceable;
import dev.jpb.internal.cache.CacheExport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our objects the peer holds references to: id to object with a count of sends not yet given
 * back. Thread-safe (a monitor).
 *
 * <p>Frames are decoded off the event loop, after the frames behind them have been read: a
 * DECREF read after a CALL that names the same object (YOURS) must not remove that object
 * before the CALL is decoded. So every frame that carries values {@link #pin() pins} the table
 * from its arrival until it is decoded; an entry given back to zero while pinned stops being
 * exported (a new send gives the object a new id) but stays findable by its id until no frame
 * read before its DECREF is left to decode.
 */
final class ExportTable {
    @GuardedBy("this")
    private final Map<Referenceable, Entry> byObject = new IdentityHashMap<>(); // live only
    @GuardedBy("this")
    private final Map<Long, Entry> byId = new HashMap<>(); // live, and retired while pinned
    @GuardedBy("this")
    private final List<Entry> retired = new ArrayList<>(); // count 0, waiting for pins to drop
    private final int max;
    @GuardedBy("this")
    private long nextId = 1;
    @GuardedBy("this")
    private int pins; // frames read and not yet decoded

    ExportTable(int max) {
        this.max = max;
    }

    /** Counts one more send of {@code object} and returns its id. */
    synchronized long export(Referenceable object) {
        Entry e = byObject.get(object);
        if (e == null) {
            if (byObject.size() >= max) {
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
        if (e == null || e.count <= 0) {
            return false;
        }
        e.count -= count;
        if (e.count <= 0) {
            byObject.remove(e.object);
            if (e.object instanceof CacheExport cached) {
                cached.unexported(); // its copy is gone: the observer stops
            }
            if (pins == 0) {
                byId.remove(id);
            } else {
                retired.add(e);
            }
        }
        return e.count >= 0;
    }

    /** Keeps given-back entries findable until the matching {@link #unpin()}. */
    synchronized void pin() {
        pins++;
    }

    /** Ends one {@link #pin()}; at the last, drops the entries given back meanwhile. */
    synchronized void unpin() {
        if (pins > 0 && --pins == 0 && !retired.isEmpty()) {
            for (Entry e : retired) {
                byId.remove(e.id, e);
            }
            retired.clear();
        }
    }

    /** Returns whether {@code object} is exported now (sent and not all given back). */
    synchronized boolean isExported(Referenceable object) {
        return byObject.containsKey(object);
    }

    synchronized Referenceable get(long id) {
        Entry e = byId.get(id);
        return e == null ? null : e.object;
    }

    /** Returns the number of objects exported now (given-back ones not counted). */
    synchronized int size() {
        return byObject.size();
    }

    synchronized void clear() {
        for (Referenceable object : byObject.keySet()) {
            if (object instanceof CacheExport cached) {
                cached.unexported();
            }
        }
        byId.clear();
        byObject.clear();
        retired.clear();
        pins = 0;
    }

    private static final class Entry {
        final long id;
        final Referenceable object;
        long count; // guarded by the table

        Entry(long id, Referenceable object) {
            this.id = id;
            this.object = object;
        }
    }
}
