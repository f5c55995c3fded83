package dev.jpb.internal.broker;

import dev.jpb.LimitExceededException;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The peer's objects we hold proxies to: one live proxy per id, with the number of times the
 * peer sent it. When a proxy is released (explicitly or by the garbage collector, through a
 * {@link Cleaner}), its entry leaves the table and the whole count is given back, so a send
 * that crosses a release in flight is never lost. At most {@code Limits.maxImportedReferences}
 * entries at once: each costs a proxy, an entry and a Cleaner registration, for a few bytes
 * of the peer's. Thread-safe.
 */
final class ImportTable {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jpb-reference-cleaner");
        t.setDaemon(true);
        return t;
    });

    private final Broker broker;
    private final ConcurrentHashMap<Long, Entry> entries = new ConcurrentHashMap<>();

    ImportTable(Broker broker) {
        this.broker = broker;
    }

    /**
     * Returns the proxy for {@code id}, counting one more receipt.
     *
     * @throws LimitExceededException if that takes a new entry and the table is full
     */
    DefaultRemoteReference receive(long id) {
        DefaultRemoteReference[] result = new DefaultRemoteReference[1];
        Entry[] made = new Entry[1];
        entries.compute(id, (k, e) -> {
            if (e != null) {
                DefaultRemoteReference live = e.proxy.get();
                if (live != null && !live.isReleased()) {
                    e.count.incrementAndGet();
                    result[0] = live;
                    return e;
                }
            }
            int max = broker.config.limits().maxImportedReferences();
            if (e == null && entries.size() >= max) {
                throw new LimitExceededException("connection already holds"
                        + " maxImportedReferences (" + max + ") references to the peer's"
                        + " objects; the peer must send fewer, or raise"
                        + " Limits.maxImportedReferences on the receiving end");
            }
            result[0] = new DefaultRemoteReference(broker, id);
            made[0] = new Entry(this, id, result[0]);
            return made[0];
        });
        if (made[0] != null) {
            Entry e = made[0];
            synchronized (e) {
                e.cleanable = CLEANER.register(result[0], e);
            }
            result[0].attach(e);
        }
        return result[0];
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
        }
        entries.clear();
        return live;
    }

    /** One id's proxy and receipt count; also the proxy's cleanup action. */
    static final class Entry implements Runnable {
        final ImportTable table;
        final long id;
        final WeakReference<DefaultRemoteReference> proxy;
        final AtomicInteger count = new AtomicInteger(1);
        Cleaner.Cleanable cleanable; // guarded by this

        Entry(ImportTable table, long id, DefaultRemoteReference proxy) {
            this.table = table;
            this.id = id;
            this.proxy = new WeakReference<>(proxy);
        }

        /** Runs once: from {@code release()} or when the proxy becomes unreachable. */
        @Override
        public void run() {
            // Leave the table under the bin lock first: a receipt counted before this is in
            // the count we read next; one after it makes a new entry.
            table.entries.remove(id, this);
            int n = count.getAndSet(0);
            if (n > 0) {
                table.broker.queueDecref(id, n);
            }
        }

        void release() {
            Cleaner.Cleanable c;
            synchronized (this) {
                c = cleanable;
            }
            if (c != null) {
                c.clean();
            } else {
                run();
            }
        }
    }
}
