package dev.jpb.internal.broker;

import dev.jpb.LimitExceededException;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The peer's objects we hold proxies to: one live proxy per id, with the number of times the
 * peer sent it. When a proxy is released (explicitly or by the garbage collector, through a
 * {@link Cleaner}), its entry is handed to {@code releases} (the broker's outbox), which takes
 * it out of the table and gives the whole count back in the order of the connection's sends:
 * after every message queued before the release. A receipt that crosses a release in flight is
 * therefore never lost. At most {@code Limits.maxImportedReferences} entries at once: each costs
 * a proxy, an entry and a Cleaner registration, for a few bytes of the peer's. Thread-safe:
 * receipts come from any decoding thread.
 */
final class ImportTable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jpb-reference-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Broker broker;
    private final int maxEntries;
    private final Consumer<Entry> releases;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    /**
     * @param broker the proxies' broker
     * @param maxEntries the most entries at once ({@code Limits.maxImportedReferences})
     * @param releases takes each released entry, once; it calls {@link Entry#leave()} when the
     *     release takes effect
     */
    ImportTable(Broker broker, int maxEntries, Consumer<Entry> releases) {
        this.broker = broker;
        this.maxEntries = maxEntries;
        this.releases = releases;
    }

    /**
     * Returns the proxy for {@code id}, counting one more receipt. A new proxy is complete
     * (its entry attached, its cleanup registered) before any other thread can find it.
     *
     * @throws LimitExceededException if that takes a new entry and the table is full
     */
    DefaultRemoteReference receive(long id) {
        DefaultRemoteReference[] result = new DefaultRemoteReference[1];
        entries.compute(id, (k, e) -> {
            if (e != null) {
                DefaultRemoteReference live = e.proxy.get();
                if (live != null && !live.isReleased()) {
                    e.count.incrementAndGet();
                    result[0] = live;
                    return e;
                }
            }
            if (e == null && entries.size() >= maxEntries) {
                throw new LimitExceededException("connection already holds"
                        + " maxImportedReferences (" + maxEntries + ") references to the peer's"
                        + " objects; the peer must send fewer, or raise"
                        + " Limits.maxImportedReferences on the receiving end");
            }
            Entry made = new Entry(this, id);
            result[0] = made.attach(new DefaultRemoteReference(broker, made));
            return made;
        });
        return result[0];
    }

    /**
     * Takes back one receipt of {@code id} counted by {@link #receive} for a message that could
     * not be decoded whole: the peer gives that send back itself. An entry left with none
     * leaves the table, its proxy released, and sends no DECREF (its {@link Entry#leave()}
     * finds nothing to give back).
     */
    void unreceive(long id) {
        entries.computeIfPresent(id, (k, e) -> {
            if (e.count.decrementAndGet() > 0) {
                return e;
            }
            e.gone = true;
            DefaultRemoteReference p = e.proxy.get();
            if (p != null) {
                p.setReleased();
            }
            return null;
        });
    }

    /** Marks {@code proxy} released atomically with the receipts of its id. */
    void markReleased(Entry entry, DefaultRemoteReference proxy) {
        entries.compute(entry.id, (k, e) -> {
            proxy.setReleased();
            return e;
        });
    }

    int size() {
        return entries.size();
    }

    /** Drops every entry (the connection is gone) and returns the live proxies. */
    List<DefaultRemoteReference> clear() {
        List<DefaultRemoteReference> live = new ArrayList<>();
        for (Entry e : entries.values()) {
            DefaultRemoteReference p = e.proxy.get();
            if (p != null) {
                live.add(p);
            }
            e.count.set(0);
            e.gone = true;
        }
        entries.clear();
        return live;
    }

    /** One id's proxy and receipt count; also the proxy's cleanup action. */
    static final class Entry implements Runnable {
        final ImportTable table;
        final long id;
        final AtomicLong count = new AtomicLong(1);
        WeakReference<DefaultRemoteReference> proxy; // written once before publication
        private Cleaner.Cleanable cleanable; // written once before publication
        // Set when the release takes effect in send order: later sends of the proxy are refused.
        private volatile boolean gone;

        Entry(ImportTable table, long id) {
            this.table = table;
            this.id = id;
        }

        private DefaultRemoteReference attach(DefaultRemoteReference p) {
            proxy = new WeakReference<>(p);
            cleanable = CLEANER.register(p, this);
            return p;
        }

        /** Runs once: from {@code release()} or when the proxy becomes unreachable. */
        @Override
        public void run() {
            table.releases.accept(this);
        }

        /** Releases the proxy now (the cleanup runs at most once). */
        void release() {
            cleanable.clean();
        }

        /**
         * Takes the entry out of the table and returns the receipts to give back (0 if the
         * connection dropped the table meanwhile). Called once, by whoever took the release.
         */
        long leave() {
            gone = true;
            // Leave the table under the bin lock first: a receipt counted before this is in
            // the count we read next; one after it makes a new entry.
            table.entries.remove(id, this);
            return count.getAndSet(0);
        }

        /** Returns whether the release has taken effect (or the connection is gone). */
        boolean isGone() {
            return gone;
        }
    }
}
