package dev.jpb.internal.cache;

import dev.jpb.Cacheable;
import dev.jpb.PbException;
import dev.jpb.RemoteCache;
import dev.jpb.internal.metrics.CacheCounts;
import dev.jpb.internal.wire.Frame;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's cacheables, both ways (docs/protocol.md §4.7, §4.8, §6.13): as the owner,
 * one {@link CacheExport} (entry and observer) per cacheable sent; as the receiver, one
 * {@link CopyEntry} per copy, built and updated in the connection's call order.
 * Encoding and frame arrival run on the event loop; decoding on whichever thread decodes.
 */
public final class CacheSession implements CacheCounts {
    static final Logger log = LoggerFactory.getLogger(CacheSession.class);

    private final CacheLink link;
    private final boolean peerAccepts;
    private final Map<Cacheable, CacheExport> exports = new IdentityHashMap<>(); // event loop
    private final ConcurrentHashMap<Long, CopyEntry> copies = new ConcurrentHashMap<>();
    private volatile boolean closed;
    // Back-pressure on updates (like held calls, docs/protocol.md §8): past maxQueuedBytes of
    // updates waiting for their turn, reading from the socket stops until half are applied.
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private volatile boolean readsPaused; // written on the event loop

    /**
     * @param link the broker's side
     * @param peerAccepts whether the peer's hello has the CACHE feature bit: otherwise no
     *     cacheable is sent to it
     */
    public CacheSession(CacheLink link, boolean peerAccepts) {
        this.link = link;
        this.peerAccepts = peerAccepts;
        this.maxQueuedBytes = Math.max(link.maxFrameBytes(), MIN_QUEUED_BYTES);
    }

    private static final long MIN_QUEUED_BYTES = 1 << 20;

    /** Returns whether waiting updates have stopped reading from the socket. */
    public boolean readsPaused() {
        return readsPaused;
    }

    private void queued(long bytes) {
        assert link.inEventLoop();
        if (queuedBytes.addAndGet(bytes) >= maxQueuedBytes && !readsPaused) {
            readsPaused = true;
            link.pauseReads(true);
            log.debug("{}: {} bytes of copy updates waiting; pausing reads", link.connection(),
                    queuedBytes.get());
        }
    }

    private void applied(long bytes) {
        if (queuedBytes.addAndGet(-bytes) < maxQueuedBytes / 2 && readsPaused) {
            link.onEventLoop(() -> {
                if (readsPaused && queuedBytes.get() < maxQueuedBytes / 2) {
                    readsPaused = false;
                    link.pauseReads(false);
                }
            });
        }
    }

    CacheLink link() {
        return link;
    }

    // ---- owner side, on the event loop while encoding

    /**
     * Returns the export id of {@code object} (a {@link Cacheable}), counting one send.
     *
     * @throws CacheStateNeeded if it is new to this connection
     */
    public long exportCache(Object object) {
        assert link.inEventLoop();
        Cacheable c = (Cacheable) object;
        if (!peerAccepts) {
            throw new PbException("cannot send " + c.getClass().getName() + ": the peer does"
                    + " not take cacheables (its hello lacks the CACHE feature bit); send a"
                    + " copy or a reference instead");
        }
        CacheExport e = exports.get(c);
        if (e == null) {
            e = new CacheExport(this, c);
            exports.put(c, e);
            throw new CacheStateNeeded(e);
        }
        if (e.failure != null) {
            exports.remove(c, e); // the next send tries afresh
            throw new PbException(e.failure.getMessage(), e.failure);
        }
        if (!e.isSent()) {
            if (e.stateReady) {
                throw new PbException("the state of " + c.getClass().getName()
                        + " contains that cacheable itself; a copy cannot start from itself");
            }
            throw new CacheStateNeeded(e);
        }
        return link.export(e);
    }

    /** Runs stateFor on the executor, then hands {@code then} the CACHE frame (or null). */
    void computeState(CacheExport e, Consumer<CacheFrame> then) {
        e.markStateAsked();
        link.runUserCode(() -> {
            CacheFrame frame = null;
            try {
                e.state = CacheSecrets.cacheables().stateFor(e.cacheable(), e);
                e.stateReady = true;
                frame = new StateFrame(e);
            } catch (Throwable t) {
                log.warn("{}: stateFor of {} threw", link.connection(),
                        e.cacheable().getClass().getName(), t);
                e.failure = new PbException("stateFor of " + e.cacheable().getClass().getName()
                        + " threw " + t, t);
                e.stop();
            }
            then.accept(frame);
        }, "stateFor");
    }

    /** The copy's state could not be sent: the message carrying it fails, the observer ends. */
    void failed(CacheExport e) {
        e.stop();
    }

    /** The export table let go of {@code e} (its last receipt came back): the copy is gone. */
    void removed(CacheExport e) {
        if (link.inEventLoop()) {
            exports.remove(e.cacheable(), e);
        } else {
            // the table is dropped off the loop only if the loop is gone: nothing to keep
            log.debug("{}: {} removed off the event loop", link.connection(), e);
        }
        e.stop();
    }

    // ---- receiver side

    /**
     * Returns the export id of one of our copies sent back to its owner (as YOURS).
     *
     * @throws PbException if it is not a copy from this connection, or was released
     */
    public long idOfCopy(Object object) {
        RemoteCache copy = (RemoteCache) object;
        Object l = CacheSecrets.copies().link(copy);
        if (!(l instanceof CopyEntry entry) || entry.session != this) {
            throw new PbException("cannot send " + copy.getClass().getName() + " over "
                    + link.connection() + ": a copy can only go back to the connection it came"
                    + " from");
        }
        if (entry.isGone()) {
            throw new dev.jpb.DeadReferenceException("cannot send " + copy.getClass().getName()
                    + ": the copy was released");
        }
        return entry.id;
    }

    /** Returns the copy named by a CACHE value, counting one receipt (decoding thread). */
    public RemoteCache importCache(long id) {
        CopyEntry e = copies.get(id);
        if (e == null) {
            link.giveBack(new Receipts.Fixed(id, 1));
            throw new dev.jpb.DeadReferenceException("the peer sent copy " + id + ", which this"
                    + " end does not hold (it was dropped here while the owner sent it again);"
                    + " ask the owner for it again");
        }
        return e.handOut();
    }

    /** A CACHE frame arrived (event loop): returns whether {@code body} was kept. */
    public boolean handleCache(Frame.Cache f, ByteBuf body) {
        assert link.inEventLoop();
        long id = f.objectId();
        if (copies.containsKey(id)) {
            link.violation("CACHE frame for copy " + id + ", which was defined already");
            return false;
        }
        Supplier<? extends RemoteCache> factory = link.factories().get(f.typeName());
        String problem = null;
        boolean forbidden = false;
        if (factory == null) {
            forbidden = true;
            problem = "received a copy of " + shorten(f.typeName()) + ", which has no copy"
                    + " factory registered here; register one on the receiving end with"
                    + " builder().registerCache(" + simpleName(f.typeName())
                    + ".class, MyCopy::new) or registerCache(\"" + shorten(f.typeName())
                    + "\", MyCopy::new)";
        } else if (copies.size() >= link.maxCopies()) {
            problem = "connection already holds maxImportedReferences (" + link.maxCopies()
                    + ") copies of the peer's cacheables; the peer must send fewer, or raise"
                    + " Limits.maxImportedReferences on the receiving end";
        }
        if (problem != null) {
            log.warn("{}: refused a copy: {}", link.connection(), problem);
            if (copies.size() < link.maxCopies()) {
                copies.put(id, CopyEntry.refused(this, id, f.typeName(), problem, forbidden));
            }
            link.giveBack(new Receipts.Fixed(id, 1));
            return false;
        }
        CopyEntry e = new CopyEntry(this, id, f.typeName(), factory, body);
        link.pin(); // YOURS in the state: see the export table
        copies.put(id, e);
        link.runInOrder(e::materialize);
        return true;
    }

    /** An OBSERVE frame arrived (event loop): returns whether {@code body} was kept. */
    public boolean handleObserve(Frame.Observe f, ByteBuf body) {
        return handleObserve(f.objectId(), f.method(), f.argc(), body);
    }

    /** As {@link #handleObserve(Frame.Observe, ByteBuf)}, from the header's fields. */
    public boolean handleObserve(long objectId, String method, int argc, ByteBuf body) {
        assert link.inEventLoop();
        link.metrics().cacheUpdateReceived();
        CopyEntry e = copies.get(objectId);
        if (e == null) {
            // A copy released here: updates still in flight are moot.
            log.debug("{}: update observe_{} for copy {} dropped: no such copy",
                    link.connection(), method, objectId);
            return false;
        }
        ByteBuf args = argc > 0 ? body : null;
        if (args != null) {
            link.pin();
        }
        if (e.observesHere(method, argc)) {
            e.observe(method, argc, args); // here, on the event loop: as asked
            return args != null;
        }
        long bytes = 128 + (args == null ? 0 : args.readableBytes());
        queued(bytes);
        link.runInOrder(new Update(e, method, argc, args, bytes));
        return args != null;
    }

    /** One update waiting for its turn in the connection's inbound order. */
    private final class Update implements Runnable {
        private final CopyEntry entry;
        private final String method;
        private final int argc;
        private final ByteBuf args; // owned; null when argc is 0
        private final long bytes;

        Update(CopyEntry entry, String method, int argc, ByteBuf args, long bytes) {
            this.entry = entry;
            this.method = method;
            this.argc = argc;
            this.args = args;
            this.bytes = bytes;
        }

        @Override
        public void run() {
            try {
                if (closed) {
                    if (args != null) {
                        args.release();
                        link.unpin();
                    }
                    return;
                }
                entry.observe(method, argc, args);
            } finally {
                applied(bytes);
            }
        }

        @Override
        public String toString() {
            return "update observe_" + method + " of copy " + entry.id;
        }
    }

    void forget(CopyEntry e) {
        copies.remove(e.id, e);
    }

    /** Returns how many copies this end holds on this connection. */
    @Override
    public int copyCount() {
        return copies.size();
    }

    /** Returns how many cacheables this end has sent on this connection, still observed. */
    @Override
    public int observedCount() {
        return exports.size();
    }

    /** The connection is gone (event loop): every observer stops, every copy is dropped. */
    public void onClosed() {
        closed = true;
        List<CacheExport> left = new ArrayList<>(exports.values());
        exports.clear();
        for (CacheExport e : left) {
            e.stop();
        }
        for (CopyEntry e : copies.values()) {
            e.drop();
        }
        copies.clear();
    }

    private static String shorten(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "...";
    }

    private static String simpleName(String name) {
        String s = shorten(name);
        int i = Math.max(s.lastIndexOf('.'), s.lastIndexOf('$'));
        return s.substring(i + 1);
    }
}
