package dev.jpb.internal.cache;

import dev.jpb.DeadReferenceException;
import dev.jpb.ForbiddenTypeException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.RemoteCache;
import dev.jpb.internal.dispatch.Invoker;
import dev.jpb.internal.dispatch.MethodTable;
import io.netty.buffer.ByteBuf;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;
import java.util.function.Supplier;

/**
 * One copy on the receiving side: made from a CACHE frame, its state kept undecoded until the
 * copy is built ({@link #materialize()}: the factory, then {@code setState}, once), held
 * strongly until first handed to the application and weakly after, when a {@link Cleaner}
 * gives its receipts back once it becomes unreachable. Counts receipts: one for the CACHE
 * frame, one per value naming it. Thread-safe (a monitor).
 */
final class CopyEntry implements Receipts {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "jpb-cache-cleaner");
        t.setDaemon(true);
        return t;
    });

    private static final Object[] NO_VALUES = new Object[0];

    final CacheSession session;
    final long id;
    final String typeName;
    private final Supplier<? extends RemoteCache> factory; // null when refused
    private ByteBuf state; // guarded by this: owned until the copy is built
    private RemoteCache strong; // guarded by this: until first handed out
    private WeakReference<RemoteCache> weak; // guarded by this
    private String problem; // guarded by this: why the copy was refused
    private boolean forbidden; // guarded by this: refused for want of a factory
    private long count = 1; // guarded by this: receipts not yet given back
    private boolean released; // guarded by this
    private Cleaner.Cleanable cleanable; // guarded by this
    private volatile boolean gone; // the release took effect in send order
    // The last update's method: read and replaced by whichever thread looks an update up (the
    // event loop, the executor) without a lock; a stale or lost value only costs a lookup.
    private Dispatched dispatched;

    CopyEntry(CacheSession session, long id, String typeName,
            Supplier<? extends RemoteCache> factory, ByteBuf state) {
        this.session = session;
        this.id = id;
        this.typeName = typeName;
        this.factory = factory;
        this.state = state;
    }

    /** Returns an entry refused at once; its receipt is given back by the caller. */
    static CopyEntry refused(CacheSession session, long id, String typeName, String problem,
            boolean forbidden) {
        CopyEntry e = new CopyEntry(session, id, typeName, null, null);
        e.problem = problem;
        e.forbidden = forbidden;
        e.count = 0;
        return e;
    }

    @Override
    public long id() {
        return id;
    }

    /** Builds the copy from its state, once; a failure refuses the copy. */
    void materialize() {
        ByteBuf b;
        synchronized (this) {
            b = state;
            state = null;
            if (b == null) {
                return;
            }
            try {
                RemoteCache copy = factory.get();
                if (copy == null) {
                    throw new PbException("the copy factory for " + typeName + " returned null");
                }
                Object s = session.link().decodeDetached(b, 1)[0];
                CacheSecrets.copies().bind(copy, this);
                CacheSecrets.copies().setState(copy, s);
                strong = copy;
                weak = new WeakReference<>(copy);
            } catch (RuntimeException e) {
                problem = "the copy of " + typeName + " could not be made: " + e;
                forbidden = e instanceof ForbiddenTypeException;
                CacheSession.log.warn("{}: {}", session.link().connection(), problem);
            } finally {
                b.release();
                session.link().unpin();
            }
            if (problem == null) {
                return;
            }
            released = true;
        }
        // Kept in the table: later values naming it fail with the reason, not as unknown.
        session.link().giveBack(this);
    }

    /** Hands the copy to a decoder, counting one receipt. */
    RemoteCache handOut() {
        materialize();
        RemoteCache copy;
        synchronized (this) {
            if (problem != null) {
                session.link().giveBack(new Receipts.Fixed(id, 1));
                throw forbidden ? new ForbiddenTypeException(problem) : new PbError(problem);
            }
            copy = strong != null ? strong : weak.get();
            count++; // given back by the release, whatever happens next
            if (released || copy == null) {
                throw dropped();
            }
            if (strong != null) {
                strong = null; // the application holds it now; unreachable means dropped
                cleanable = CLEANER.register(copy, this::release);
            }
        }
        return copy;
    }

    DeadReferenceException dropped() {
        return new DeadReferenceException("the copy of " + typeName + " (object " + id
                + ") was dropped here while its owner sent it again; ask the owner for it again");
    }

    /** Applies one update in the connection's inbound order (decoding its arguments first). */
    void observe(String method, int argc, ByteBuf args) {
        Object[] values;
        if (args == null) {
            values = NO_VALUES;
        } else {
            try {
                values = session.link().decode(args, argc);
            } catch (PbException e) {
                session.link().violation("update observe_" + method + " of " + typeName + ": "
                        + e.getMessage());
                return;
            } finally {
                args.release();
                session.link().unpin();
            }
        }
        materialize();
        RemoteCache copy;
        synchronized (this) {
            if (problem != null || released) {
                return;
            }
            copy = strong != null ? strong : weak.get();
        }
        if (copy == null) {
            return; // collected: the cleaner is giving it back
        }
        CacheLink link = session.link();
        Object previous = link.enterCall();
        try {
            try {
                invoker(copy, method, argc).invoke(copy, values);
            } catch (Throwable t) {
                CacheSession.log.warn("{}: update observe_{} of {} failed", link.connection(),
                        method, copy.getClass().getName(), t);
                return;
            }
            CacheSecrets.copies().updated(copy, method);
        } finally {
            link.exitCall(previous);
        }
    }

    /**
     * Returns whether the update {@code method/argc} may run here, on the event loop that read
     * it, rather than on the executor (as a {@code @NonBlocking remote_} method does): its
     * {@code observe_} method is marked {@link dev.jpb.NonBlocking}, the copy is built (no
     * factory or {@code setState} would run here) and no earlier inbound work of the
     * connection is held, queued or running, so the update keeps its place in the order.
     */
    boolean observesHere(String method, int argc) {
        Dispatched d = dispatched;
        if (d != null && d.argc == argc && d.method.equals(method) && !d.invoker.isNonBlocking()
                || !session.link().inboundIdle()) {
            return false; // the usual case first: an unmarked method seen before
        }
        RemoteCache copy;
        synchronized (this) {
            if (state != null || problem != null || released || weak == null) {
                return false;
            }
            copy = strong != null ? strong : weak.get();
        }
        if (copy == null) {
            return false;
        }
        try {
            Invoker invoker = findInvoker(copy, method, argc);
            return invoker != null && invoker.isNonBlocking();
        } catch (RuntimeException e) {
            return false; // the executor's turn logs why the update cannot run
        }
    }

    /**
     * Returns the copy's {@code observe_<method>} taking {@code argc} arguments: the last one
     * found, if the update names it again (a copy's updates mostly repeat a few names).
     */
    private Invoker invoker(RemoteCache copy, String method, int argc) {
        Invoker invoker = findInvoker(copy, method, argc);
        if (invoker == null) {
            MethodTable.of(copy.getClass(), "observe_").find(method, argc); // throws why
        }
        return invoker;
    }

    /** As {@link #invoker}, or null if there is no such method. */
    private Invoker findInvoker(RemoteCache copy, String method, int argc) {
        Dispatched d = dispatched;
        if (d != null && d.argc == argc && d.method.equals(method)) {
            return d.invoker;
        }
        Invoker invoker = MethodTable.of(copy.getClass(), "observe_").findOrNull(method, argc);
        if (invoker != null) {
            dispatched = new Dispatched(method, argc, invoker);
        }
        return invoker;
    }

    /** The last update's method, as found (immutable: published by a plain write). */
    private record Dispatched(String method, int argc, Invoker invoker) {
    }

    /** The cleaner's action, or an explicit release: gives the receipts back, once. */
    void release() {
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
        }
        session.forget(this);
        session.link().giveBack(this);
    }

    void releaseByUser() {
        Cleaner.Cleanable c;
        synchronized (this) {
            c = cleanable;
        }
        if (c != null) {
            c.clean();
        } else {
            release();
        }
    }

    boolean isLive() {
        synchronized (this) {
            if (released || problem != null) {
                return false;
            }
        }
        return session.link().isOpen();
    }

    /** Returns whether the copy may still be sent back (its release has not taken effect). */
    boolean isGone() {
        return gone;
    }

    @Override
    public long leave() {
        gone = true;
        synchronized (this) {
            long n = count;
            count = 0;
            return n;
        }
    }

    /** The connection is gone: drop the undecoded state. */
    void drop() {
        ByteBuf b;
        synchronized (this) {
            released = true;
            gone = true;
            b = state;
            state = null;
            strong = null;
        }
        if (b != null) {
            b.release();
        }
    }
}
