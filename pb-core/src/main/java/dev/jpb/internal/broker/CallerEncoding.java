package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.DeadlineExceededException;
import dev.jpb.LimitExceededException;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Encodes a call's arguments on the calling thread, before {@code callRemote} returns, when
 * the internal switch {@value #PROPERTY} is {@code true} (read once; off by default, see
 * docs/performance.md): the caller may then change its arguments as soon as the call returns.
 * Without it the outbox encodes them on the event loop.
 *
 * <p>Order: the connection's outbound type table is shared with the event loop, which still
 * encodes everything else (answers, login and cache frames, and calls this class hands back),
 * so every encoding for the connection holds one lock ({@link #enterLoop}). A type id is given
 * under the lock and its TYPES frame is written, by the event loop, before the next frame after
 * that: before this call's frame ({@link Encoded#newTypes}) or before any frame the loop
 * encodes. So ids stay in order and are defined before their first use; and when no message
 * encoded by the loop waits ahead of the call (a client's calls), the frames are the same
 * bytes in the same order as without the switch. The call's header (request id, deadline) is
 * written on the event loop when the call is sent, into room kept in front of the arguments,
 * so the time left that travels is measured then, as without the switch.
 *
 * <p>References: exports are counted under the table's own monitor when the call is encoded;
 * a proxy released before the call was encoded is refused (its release enters the outbox
 * under the same lock, {@link #released}), one released after it is given back after the
 * call, in send order. A {@link dev.jpb.Cacheable} or a copy of the peer's among the arguments
 * needs the event loop (its state, its receipts): such a call, and one made while this thread
 * already encodes for the connection, is handed to the outbox as before, unencoded.
 */
final class CallerEncoding implements dev.jpb.internal.codec.ReferenceHooks {
    /** The system property that turns encoding on the caller on: {@code true} or not. */
    static final String PROPERTY = "jpb.internal.encodeOnCaller";
    /** Whether calls are encoded on the caller's thread; read once. */
    static final boolean ENABLED = Boolean.getBoolean(PROPERTY);
    // The header's most bytes besides the method's: length, kind, request id, target id,
    // the name's length, argc, deadline (docs/protocol.md §4.1); a char is at most 3 bytes.
    private static final int HEADER_BYTES = 4 + 1 + 10 + 10 + 5 + 5 + 10;
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    private static final FastThreadLocal<Slot> SLOTS = new FastThreadLocal<>() {
        @Override
        protected Slot initialValue() {
            return new Slot();
        }
    };

    private final Broker broker;
    private final ReentrantLock lock = new ReentrantLock();
    private final CodecSession session; // guarded by lock: the callers' exports and types

    CallerEncoding(Broker broker) {
        this.broker = broker;
        this.session = new CodecSession(broker.session.types(), this, broker.config.limits());
    }

    /**
     * Starts an encoding on the event loop: holds the lock every encoding for this connection
     * holds (the outbound type table). Calls made meanwhile on this thread (a value's accessor
     * may make one) are not encoded here: its Kryo is in use. End with {@link #exitLoop}.
     */
    void enterLoop() {
        SLOTS.get().depth++;
        lock.lock();
    }

    /** Ends {@link #enterLoop}. */
    void exitLoop() {
        lock.unlock();
        SLOTS.get().depth--;
    }

    /** A thread's output for arguments, and how deep it is in encodings (0: in none). */
    private static final class Slot {
        Output out = new Output(4096, -1);
        int depth;
    }

    /**
     * Encodes the call's arguments now and queues it; or queues it unencoded for the event loop
     * (a cacheable among them, or this thread is already encoding); or fails it at once (an
     * argument cannot be sent), as the outbox would have. {@code f} is null for a call that
     * wants no answer ({@code requestId} 0).
     */
    void send(long requestId, long targetId, String method, Object[] args, PbFuture<Object> f,
            long deadline) {
        Slot slot = SLOTS.get();
        if (slot.depth != 0) { // re-entered: a value's accessor made a call; Kryo is in use
            broker.outbox.enqueue(new Outbound.Call(requestId, targetId, method, args, f,
                    deadline));
            return;
        }
        Output out = slot.out;
        byte[] buffer = out.getBuffer();
        int max = broker.maxOutboundFrame;
        out.setBuffer(buffer.length <= max ? buffer : new byte[max], max);
        Encoded m = null;
        slot.depth++;
        lock.lock();
        try {
            try {
                broker.config.codec().write(out, args, session);
            } catch (NeedsEventLoop e) {
                broker.outbox.enqueue(new Outbound.Call(requestId, targetId, method, args, f,
                        deadline));
                return;
            } catch (PbException e) {
                refused(requestId, method, f, e);
                return;
            }
            long[] sent = session.takeCommittedReferences();
            boolean newTypes = !session.types().pendingDefinitions().isEmpty();
            int n = out.position();
            int room = HEADER_BYTES + 3 * method.length();
            ByteBuf frame = broker.channel.alloc().ioBuffer(room + n);
            frame.writerIndex(room).writeBytes(out.getBuffer(), 0, n);
            m = new Encoded(requestId, targetId, method, args.length, f, deadline, frame, room,
                    sent, newTypes);
            broker.outbox.enqueue(m);
        } finally {
            lock.unlock();
            slot.depth--;
            if (out.getBuffer().length > KEEP_BUFFER_BYTES) {
                slot.out = new Output(4096, -1); // don't pin a large argument's buffer
            }
        }
        if (broker.channel.eventLoop().isShuttingDown()) {
            // The loop may never drain it: whoever takes the buffer first releases it.
            m.fail(broker, new ConnectionLostException("connection closed before the call"
                    + " was sent"), false);
        }
    }

    /** Queues a released proxy's entry (see {@link ImportTable}) in order with encoded calls. */
    void released(ImportTable.Entry entry) {
        lock.lock();
        try {
            broker.outbox.enqueue(new Outbound.Release(entry));
        } finally {
            lock.unlock();
        }
    }

    private void refused(long requestId, String method, PbFuture<Object> f, PbException e) {
        if (f != null) {
            broker.failPending(requestId, e);
        } else {
            Broker.log.warn("{}: callRemoteOnly({}) not sent: {}", broker, method,
                    e.getMessage());
        }
    }

    // ---- ReferenceHooks of the callers' session: encoding only, under the lock

    @Override
    public long export(Referenceable object) {
        return broker.export(object);
    }

    @Override
    public void unexport(long objectId) {
        broker.unexport(objectId);
    }

    @Override
    public long remoteIdOf(RemoteReference reference) {
        long id = broker.remoteIdOf(reference); // checks it belongs here, and is not gone
        RemoteReference base = reference instanceof DeadlineReference view
                ? view.base() : reference;
        if (base instanceof DefaultRemoteReference ref && ref.isReleased()) {
            // Its release may be queued, not yet taken effect: this call would follow it.
            throw new DeadReferenceException("cannot send " + ref + ": it was released");
        }
        return id;
    }

    @Override
    public RemoteReference importReference(long objectId) {
        throw new IllegalStateException("the callers' session only encodes");
    }

    @Override
    public Referenceable exportedObject(long objectId) {
        throw new IllegalStateException("the callers' session only encodes");
    }

    @Override
    public long exportCache(Object cacheable) {
        throw NeedsEventLoop.INSTANCE;
    }

    @Override
    public long idOfCopy(Object copy) {
        throw NeedsEventLoop.INSTANCE;
    }

    /** A cacheable or a copy among the arguments: the event loop encodes that call. */
    private static final class NeedsEventLoop extends PbException {
        private static final long serialVersionUID = 1L;
        static final NeedsEventLoop INSTANCE = new NeedsEventLoop();

        private NeedsEventLoop() {
            super("encoded on the event loop");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // control flow, never seen by the application
        }
    }

    /**
     * A call whose arguments are encoded: a buffer holding them after room for the header,
     * which the event loop writes ({@link #frame}). Its buffer is released exactly once, by
     * whoever takes it ({@link #take}).
     */
    static final class Encoded implements Outbound {
        private static final VarHandle FRAME;

        static {
            try {
                FRAME = MethodHandles.lookup().findVarHandle(Encoded.class, "buffer",
                        ByteBuf.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final long requestId;
        final long targetId;
        final String method;
        final int argc;
        final PbFuture<Object> future; // null: no answer wanted
        final long deadline; // System.nanoTime(), or CallScope.NO_DEADLINE
        final boolean newTypes; // type names are pending: write TYPES before this frame
        private final int room; // the arguments start here
        private final long[] sent; // the references the arguments exported, or null
        @SuppressWarnings("unused") // through FRAME
        private volatile ByteBuf buffer;

        Encoded(long requestId, long targetId, String method, int argc, PbFuture<Object> future,
                long deadline, ByteBuf buffer, int room, long[] sent, boolean newTypes) {
            this.requestId = requestId;
            this.targetId = targetId;
            this.method = method;
            this.argc = argc;
            this.future = future;
            this.deadline = deadline;
            this.buffer = buffer;
            this.room = room;
            this.sent = sent;
            this.newTypes = newTypes;
        }

        /** Takes the buffer (the caller then owns it), or null if it was taken before. */
        private ByteBuf take() {
            return (ByteBuf) FRAME.getAndSet(this, (ByteBuf) null);
        }

        /**
         * Returns the whole frame (length, header, arguments) to write, or null if the call
         * was failed, now (its deadline passed, it is too large: its exports are given back)
         * or before; on the event loop, with {@code out} (emptied, at most the frame size)
         * for the header.
         */
        ByteBuf frame(Broker broker, Output out) {
            assert broker.channel.eventLoop().inEventLoop();
            ByteBuf frame = take();
            if (frame == null) {
                return null;
            }
            PbException problem = null;
            long micros = Frame.Call.NO_DEADLINE;
            if (deadline != CallScope.NO_DEADLINE) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    problem = new DeadlineExceededException("the deadline of remote_" + method
                            + " passed before it could be sent");
                }
                // A peer without FEATURE_DEADLINES gets a plain CALL; the deadline holds here.
                micros = broker.peerHasDeadlines ? Math.max(1, left / 1000) : micros;
            }
            if (problem == null) {
                try {
                    FrameCodec.write(out, new Frame.Call(requestId, targetId, method, argc,
                            micros));
                } catch (RuntimeException e) {
                    problem = tooLarge();
                }
            }
            int h = out.position();
            int n = frame.writerIndex() - room;
            if (problem == null && h + n > broker.maxOutboundFrame) {
                problem = tooLarge();
            }
            if (problem != null) {
                frame.release();
                failTaken(broker, problem, true);
                return null;
            }
            int at = room - 4 - h;
            frame.setInt(at, h + n);
            frame.setBytes(at + 4, out.getBuffer(), 0, h);
            frame.readerIndex(at);
            if (future != null) {
                future.sentReferences(sent); // kept until the answer, as Outbox.encodeCall
            }
            return frame;
        }

        /**
         * Fails the call unsent and releases its buffer, unless it was taken before: its
         * future fails with {@code error}, or for a one-way call a line is logged ({@code
         * error} null: nothing, the caller counts the drop); {@code giveBack}: its exports are
         * undone (the connection stays).
         */
        void fail(Broker broker, Throwable error, boolean giveBack) {
            ByteBuf frame = take();
            if (frame != null) {
                frame.release();
                failTaken(broker, error, giveBack);
            }
        }

        private void failTaken(Broker broker, Throwable error, boolean giveBack) {
            if (giveBack && sent != null) {
                for (long id : sent) {
                    broker.unexport(id);
                }
            }
            if (future != null) {
                broker.failPending(requestId, error);
            } else if (error != null && !(error instanceof ConnectionLostException)) {
                Broker.log.warn("{}: callRemoteOnly({}) not sent: {}", broker, method,
                        error.getMessage());
            }
        }

        private static LimitExceededException tooLarge() {
            return new LimitExceededException("message is larger than maxFrameBytes;"
                    + " send less per call or raise Limits.maxFrameBytes on both ends");
        }

        @Override
        public String toString() {
            return "Encoded[" + requestId + ", remote_" + method + "]";
        }
    }
}
