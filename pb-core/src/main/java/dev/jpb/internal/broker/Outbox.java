package dev.jpb.internal.broker;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ConnectionLostException;
import dev.jpb.LimitExceededException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.internal.logging.LogContext;
import dev.jpb.internal.transport.PipelineConfigurator;
import dev.jpb.internal.cache.CacheFrame;
import dev.jpb.internal.cache.CacheStateNeeded;
import dev.jpb.internal.cache.DrainBatch;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.PlatformDependent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A broker's outgoing messages: queued from any thread, encoded on the event loop in queue
 * order (which keeps type definitions ahead of their first use, and a release after every send
 * queued before it) and written with one flush per batch.
 *
 * <p>Over TLS ({@link #holdFlushesWhileBusy}) each flush seals a TLS record, which the peer
 * must open: far dearer than the write itself. There a batch's flush is held back while the
 * connection's serial executors still have work queued (inbound calls whose answers will
 * follow, answers whose completions may send more calls), so that those messages share the
 * record, as the answers to one read share a flush in a hand-written server. A held flush goes
 * out as soon as that work runs out ({@link #producerIdle}), when {@value #MAX_HELD_BYTES}
 * bytes (a full record) wait, or at the latest {@value #MAX_HOLD_MICROS} µs after the batch was
 * written: a slow call never holds back the answers before it for longer. A connection with
 * one call at a time never waits. Closing the channel flushes first
 * (the {@code jpb-tls-flush} handler, see {@link PipelineConfigurator}).
 */
final class Outbox {
    private static final int KEEP_BUFFER_BYTES = 64 * 1024;
    private static final int MAX_DECREF_COUNT = Integer.MAX_VALUE; // uvarint32 on the wire
    private static final FastThreadLocal<Output[]> OUTPUTS = new FastThreadLocal<>() {
        @Override
        protected Output[] initialValue() {
            return new Output[] {new FrameOutput(4096), new Output(256, -1)};
        }
    };

    private final Broker broker;
    private final Channel channel;
    // Any thread adds, the event loop alone takes: a multi-producer single-consumer queue of
    // linked arrays, which allocates no node per message (Netty's, as its event loops use).
    // It holds Outbound messages and CacheFrames (queued as they are: no wrapper per update).
    private final Queue<Object> queue = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean(); // a drain task is queued
    private final Runnable drainTask; // this::drain with the connection's log context
    // Guarded by the event loop: messages to write before the queue (a message waiting for a
    // new cacheable's state, and that state's CACHE frame), and whether that state is pending.
    private final java.util.ArrayDeque<Object> front = new java.util.ArrayDeque<>();
    private boolean stalled;
    // Flush holding, over TLS only (see the class comment).
    private static final int MAX_HELD_BYTES = 16 * 1024; // a TLS record's plaintext
    private static final long MAX_HOLD_MICROS = 50;
    private boolean holdFlushes; // set once, before the first drain
    // Written but not flushed: set on the event loop, read by any thread.
    private final AtomicBoolean held = new AtomicBoolean();
    private int unflushedBytes; // the event loop's
    private boolean holdTimerArmed; // the event loop's
    private final Runnable flushHeld = this::flushHeld;
    private final Runnable holdTimer = () -> {
        holdTimerArmed = false;
        flushHeld();
    };

    Outbox(Broker broker) {
        this.broker = broker;
        this.channel = broker.channel;
        this.drainTask = LogContext.wrap(channel, this::drain);
    }

    /**
     * Holds a batch's flush back while the connection's serial executors have work queued; for
     * TLS connections, called once by the broker before any message is queued. The executors
     * must call {@link #producerIdle} each time they run out of work.
     */
    void holdFlushesWhileBusy() {
        holdFlushes = true;
    }

    /**
     * A serial executor of this connection ran out of work: a held flush can go now. Any
     * thread; cheap when nothing is held.
     */
    void producerIdle() {
        if (held.get()) {
            try {
                channel.eventLoop().execute(flushHeld);
            } catch (RejectedExecutionException e) {
                Broker.log.debug("{}: event loop stopped; held flush dropped", broker);
            }
        }
    }

    /** Flushes what was written and held back, if anything; on the event loop. */
    private void flushHeld() {
        if (held.get()) {
            flushNow();
        }
    }

    private void flushNow() {
        held.set(false);
        unflushedBytes = 0;
        channel.flush();
    }

    /** Flushes what a drain wrote, or holds the flush back while more is about to come. */
    private void flushOrHold() {
        if (holdFlushes && unflushedBytes < MAX_HELD_BYTES) {
            // Held first, then the queues looked at; an executor empties its queue, then looks
            // at held (producerIdle): one of the two sees the other, so no flush is missed.
            held.set(true);
            if (broker.calls.hasQueued() || broker.completions.hasQueued()) {
                if (!holdTimerArmed) {
                    holdTimerArmed = true;
                    channel.eventLoop().schedule(holdTimer, MAX_HOLD_MICROS,
                            TimeUnit.MICROSECONDS);
                }
                return;
            }
        }
        flushNow();
    }

    /** Queues {@code message} and makes sure a drain follows; any thread. */
    void enqueue(Outbound message) {
        offer(message);
    }

    /** Queues a cacheable's state (CACHE) or an update (OBSERVE), as a message; any thread. */
    void enqueue(CacheFrame frame) {
        offer(frame);
    }

    private void offer(Object message) {
        queue.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                // The event loop is gone, so is the channel: onClosed fails what waits.
                Broker.log.debug("{}: event loop stopped; {} dropped", broker, message);
            }
        }
    }

    /**
     * As {@link #enqueue(CacheFrame)}, but the drain that must follow, if this queues it, is left
     * to {@code drains} (one task per event loop for many outboxes). The order is the queue's
     * either way: a drain already scheduled writes {@code message} in its turn, and until the
     * batch runs, what others queue here waits behind it. The caller's thread.
     */
    void enqueue(CacheFrame message, DrainBatch drains) {
        queue.add(message);
        if (drainScheduled.compareAndSet(false, true)) {
            drains.add(channel.eventLoop(), drainTask);
        }
    }

    /** Writes everything queued, then flushes once. */
    private void drain() {
        assert channel.eventLoop().inEventLoop();
        drainScheduled.set(false);
        Output[] outputs = OUTPUTS.get();
        FrameOutput out = (FrameOutput) outputs[0];
        List<Frame.Decref.Pair> decrefs = null;
        boolean wrote = false;
        Object m;
        while (!stalled && ((m = front.poll()) != null || (m = queue.poll()) != null)) {
            if (m instanceof Outbound.GiveBack g) {
                long n = g.receipts().leave();
                if (n > 0 && channel.isActive()) {
                    decrefs = decrefs == null ? new ArrayList<>() : decrefs;
                    addDecrefs(decrefs, g.receipts().id(), n);
                }
                continue;
            }
            if (m instanceof Outbound.Release r) {
                long n = r.entry().leave();
                if (n > 0 && channel.isActive()) {
                    decrefs = decrefs == null ? new ArrayList<>() : decrefs;
                    addDecrefs(decrefs, r.entry().id, n);
                }
                continue;
            }
            if (CallerEncoding.ENABLED) {
                wrote |= writeShared(m, out, outputs[1]);
            } else {
                wrote |= write(m, out, outputs[1]);
            }
        }
        if (decrefs != null) {
            writeDecrefs(decrefs, out);
            wrote = true;
        }
        if (wrote) {
            flushOrHold();
        }
        if (out.getBuffer().length > KEEP_BUFFER_BYTES) {
            out.discard();
            outputs[0] = new FrameOutput(4096); // don't pin a large message's buffer
        }
    }

    static void addDecrefs(List<Frame.Decref.Pair> decrefs, long id, long n) {
        for (long left = n; left > 0; left -= MAX_DECREF_COUNT) {
            decrefs.add(new Frame.Decref.Pair(id, (int) Math.min(left, MAX_DECREF_COUNT)));
        }
    }

    /** Fails the calls still queued (the connection is gone); on the event loop. */
    void failQueued() {
        assert channel.eventLoop().inEventLoop();
        Object m;
        while ((m = front.poll()) != null || (m = queue.poll()) != null) {
            if (m instanceof Outbound.Call c && c.future() != null) {
                broker.failPending(c.requestId(), new ConnectionLostException("connection lost"));
            } else if (m instanceof Outbound.Custom c && c.future() != null) {
                broker.failPending(c.requestId(), new ConnectionLostException("connection lost"));
            } else if (m instanceof CallerEncoding.Encoded e) {
                e.fail(broker, new ConnectionLostException("connection lost"), false);
            }
        }
    }

    /**
     * As {@link #write}, while callers encode their calls too ({@link CallerEncoding}): a
     * message encoded here holds the connection's encode lock; a call the caller encoded
     * only gets its header, and its pending type names written first if it has any.
     */
    private boolean writeShared(Object m, FrameOutput out, Output types) {
        if (m instanceof CallerEncoding.Encoded e) {
            return writeEncoded(e, out, types);
        }
        broker.callerEncoding.enterLoop();
        try {
            return write(m, out, types);
        } finally {
            broker.callerEncoding.exitLoop();
        }
    }

    private boolean writeEncoded(CallerEncoding.Encoded e, FrameOutput out, Output types) {
        if (!channel.isActive()) {
            e.fail(broker, new ConnectionLostException(
                    "connection closed before the call was sent"), false);
            return false;
        }
        if (!channel.isWritable()) { // as write: maxQueuedOutboundBytes
            if (e.future == null) {
                e.fail(broker, null, true);
                broker.outboundLimit.droppedOneWay(e.method);
            } else {
                e.fail(broker, broker.outboundLimit.exceeded(e.method), true);
            }
            return false;
        }
        start(out);
        ByteBuf frame = e.frame(broker, out);
        if (frame == null) {
            return false; // failed: no frame uses its type names yet
        }
        if (e.newTypes) {
            broker.callerEncoding.enterLoop();
            try {
                writeTypes(types);
            } finally {
                broker.callerEncoding.exitLoop();
            }
        }
        unflushedBytes += frame.readableBytes();
        channel.write(frame, channel.voidPromise());
        return true;
    }

    private boolean write(Object m, FrameOutput out, Output types) {
        assert channel.eventLoop().inEventLoop(); // encoding uses the loop's type table side
        if (!channel.isActive()) {
            if (m instanceof Outbound.Call c && c.future() != null) {
                broker.failPending(c.requestId(), new ConnectionLostException(
                        "connection closed before the call was sent"));
            } else if (m instanceof Outbound.Custom c && c.future() != null) {
                broker.failPending(c.requestId(), new ConnectionLostException(
                        "connection closed before the request was sent"));
            }
            return false;
        }
        if (m instanceof Outbound.Call c && !channel.isWritable()) {
            // maxQueuedOutboundBytes: the peer is not reading; the buffer stops growing here
            if (c.future() == null) {
                broker.outboundLimit.droppedOneWay(c.method());
            } else {
                refuse(m, broker.outboundLimit.exceeded(c.method()));
            }
            return false;
        }
        start(out);
        try {
            if (m instanceof Outbound.Call c) {
                out.spillTo(channel.alloc()); // a large array: straight into the frame
                encodeCall(c, out);
            } else if (m instanceof Outbound.Control k) {
                encodeControl(k, out);
            } else if (m instanceof InboundCall c) { // the call's answer: see InboundCall
                broker.cancellation.finished(c.requestId);
                out.spillTo(channel.alloc());
                encodeAnswer(c.requestId, c.answer, out);
            } else if (m instanceof Outbound.Answer a) {
                broker.cancellation.finished(a.requestId());
                out.spillTo(channel.alloc());
                encodeAnswer(a.requestId(), a.value(), out);
            } else if (m instanceof Outbound.Failure f) {
                broker.cancellation.finished(f.requestId());
                encodeFailure(f.requestId(), f.error(), out);
            } else if (m instanceof Outbound.UnreadFailure f) {
                broker.cancellation.finished(f.requestId());
                encodeFailure(f.requestId(), f.error(), true, out);
            } else if (m instanceof Outbound.RootRequest r) {
                FrameCodec.write(out, new Frame.Root(r.requestId()));
            } else if (m instanceof Outbound.Custom c) {
                c.writer().write(out);
            } else if (m instanceof CacheFrame c) {
                c.encode(out);
            }
        } catch (CacheStateNeeded e) {
            out.discard();
            writeTypes(types);
            stall(m, e);
            return true;
        } catch (PbException e) {
            out.discard();
            writeTypes(types);
            refuse(m, e);
            return true;
        } catch (RuntimeException e) {
            out.discard();
            Broker.log.error("{}: failed to encode {}", broker, m, e);
            writeTypes(types);
            refuse(m, new PbException("cannot send: " + e, e));
            return true;
        }
        // Copy the message out of the shared buffer before any channel write: nothing that a
        // write might run can then overwrite it.
        ByteBuf message = frameOf(out);
        writeTypes(types);
        channel.write(message, channel.voidPromise());
        return true;
    }

    /**
     * Holds {@code m}, and everything behind it, until the new cacheable's state is known (its
     * {@code stateFor} runs on the executor); then writes its CACHE frame, and {@code m}.
     */
    private void stall(Object m, CacheStateNeeded needed) {
        front.addFirst(m);
        stalled = true;
        needed.resolve(frame -> {
            try {
                channel.eventLoop().execute(() -> {
                    stalled = false;
                    if (frame != null) {
                        front.addFirst(frame);
                    }
                    drain();
                });
            } catch (RejectedExecutionException e) {
                Broker.log.debug("{}: event loop stopped; {} dropped", broker, m);
            }
        });
    }

    private void start(FrameOutput out) {
        out.start(broker.maxOutboundFrame);
    }

    private void encodeCall(Outbound.Call c, FrameOutput out) {
        long micros = Frame.Call.NO_DEADLINE;
        if (c.deadline() != CallScope.NO_DEADLINE) {
            long left = c.deadline() - System.nanoTime();
            if (left <= 0) {
                throw new dev.jpb.DeadlineExceededException("the deadline of remote_"
                        + c.method() + " passed before it could be sent");
            }
            // A peer without FEATURE_DEADLINES gets a plain CALL; the deadline holds here.
            micros = broker.peerHasDeadlines ? Math.max(1, left / 1000) : micros;
        }
        try {
            FrameCodec.writeCall(out, c.requestId(), c.targetId(), c.method(),
                    c.args().length, micros);
        } catch (RuntimeException e) {
            throw tooLarge();
        }
        broker.config.codec().write(out, c.args(), broker.session);
        // Kept until the answer: given back if the peer could not read the arguments.
        long[] sent = broker.session.takeCommittedReferences();
        if (c.future() != null) {
            c.future().sentReferences(sent);
        }
    }

    private static void encodeControl(Outbound.Control k, Output out) {
        if (k.frame() instanceof Frame.Cancel c) {
            FrameCodec.write(out, c);
        } else {
            FrameCodec.write(out, (Frame.Ping) k.frame());
        }
    }

    private void encodeAnswer(long requestId, Object value, FrameOutput out) {
        FrameCodec.writeAnswer(out, requestId);
        try {
            broker.config.codec().writeOne(out, value, broker.session);
        } catch (CacheStateNeeded e) {
            throw e; // not a failure: written once the new cacheable's state is known
        } catch (PbException e) {
            // The result cannot travel: the caller gets why instead of waiting forever.
            Broker.log.warn("{}: cannot send the answer to request {}: {}", broker,
                    requestId, e.getMessage());
            encodeFailure(requestId, e, out);
        }
    }

    private void encodeFailure(long requestId, Throwable error, FrameOutput out) {
        encodeFailure(requestId, error, false, out);
    }

    // Writes the whole body anew (an answer that failed half-written may have spilled), never
    // spilling: the error object's flags byte may be written again below.
    private void encodeFailure(long requestId, Throwable error, boolean unread,
            FrameOutput out) {
        String type = error.getClass().getName();
        String trace = broker.config.sendStackTraces() ? stackTrace(error) : null;
        boolean hasObject = error instanceof PbError;
        Frame.Error header = new Frame.Error(requestId, type, truncate(error.getMessage()), trace,
                hasObject, unread);
        out.restart();
        try {
            FrameCodec.write(out, header);
        } catch (RuntimeException e) {
            header = new Frame.Error(requestId, type, "(message too large to send)", null,
                    hasObject, unread);
            out.setPosition(0);
            FrameCodec.write(out, header);
        }
        if (!hasObject) {
            return;
        }
        int mark = out.position();
        try {
            broker.config.codec().write(out, new Object[] {error}, broker.session);
        } catch (PbException e) {
            Broker.log.debug("{}: sending {} by name only: {}", broker, error, e.getMessage());
            out.setPosition(mark - 1); // the flags byte, written last by the header
            out.writeByte(unread ? 2 : 0);
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 16_384 ? s : s.substring(0, 16_384) + "...";
    }

    private static String stackTrace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return truncate(w.toString());
    }

    private static LimitExceededException tooLarge() {
        return new LimitExceededException("message is larger than maxFrameBytes;"
                + " send less per call or raise Limits.maxFrameBytes on both ends");
    }

    /** A message that could not be encoded: its caller learns why, at once. */
    private void refuse(Object m, PbException e) {
        if (m instanceof Outbound.Call c) {
            if (c.future() != null) {
                broker.failPending(c.requestId(), e);
            } else {
                Broker.log.warn("{}: callRemoteOnly({}) not sent: {}", broker, c.method(),
                        e.getMessage());
            }
        } else if (m instanceof Outbound.Custom c && c.future() != null) {
            broker.failPending(c.requestId(), e);
        } else if (m instanceof Outbound.Custom c && c.requestId() != 0) {
            Broker.log.warn("{}: cannot send the answer to request {}: {}", broker,
                    c.requestId(), e.getMessage());
            enqueue(new Outbound.Failure(c.requestId(), e)); // the peer learns why
        } else if (m instanceof CacheFrame c) {
            c.refused(e);
        } else {
            Broker.log.warn("{}: cannot send {}: {}", broker, m, e.getMessage());
        }
    }

    private void writeTypes(Output types) {
        List<String> names = broker.session.types().pendingDefinitions();
        if (names.isEmpty()) {
            return;
        }
        // Split so that no TYPES frame exceeds what the peer accepts (a name is at most a few
        // hundred bytes; the smallest limit a peer may announce is 1 KiB): at most 127 names,
        // and as many as fit.
        int id = broker.session.types().firstPendingId();
        int from = 0;
        while (from < names.size()) {
            int count = 0;
            int bytes = 1 + varIntSize(id + from) + 1; // kind, first id, count (< 128)
            while (from + count < names.size() && count < 127) {
                int size = hstringSize(names.get(from + count));
                if (bytes + size > broker.maxOutboundFrame && count > 0) {
                    break;
                }
                bytes += size;
                count++;
            }
            types.setBuffer(types.getBuffer(), -1);
            FrameCodec.write(types, new Frame.Types(id + from,
                    names.subList(from, from + count)));
            from += count;
            writeFrame(types);
        }
        broker.session.types().clearPendingDefinitions();
    }

    private static int hstringSize(String s) {
        int n = s.getBytes(StandardCharsets.UTF_8).length;
        return varIntSize(n + 1) + n;
    }

    private static int varIntSize(int v) {
        int size = 1;
        while ((v >>>= 7) != 0) {
            size++;
        }
        return size;
    }

    private void writeDecrefs(List<Frame.Decref.Pair> decrefs, FrameOutput out) {
        // A pair takes at most 14 bytes: chunks of frame/16 pairs always fit.
        int per = Math.max(64, broker.maxOutboundFrame / 16);
        for (int from = 0; from < decrefs.size(); from += per) {
            start(out);
            FrameCodec.write(out, new Frame.Decref(
                    decrefs.subList(from, Math.min(from + per, decrefs.size()))));
            writeFrame(out);
        }
    }

    private void writeFrame(Output out) {
        channel.write(frameOf(out), channel.voidPromise());
    }

    private ByteBuf frameOf(Output out) {
        if (out instanceof FrameOutput f && f.spilled()) {
            ByteBuf frame = f.takeFrame(); // the large payload is in it already
            unflushedBytes += frame.readableBytes();
            return frame;
        }
        int n = out.position();
        unflushedBytes += 4 + n;
        ByteBuf buf = channel.alloc().ioBuffer(4 + n);
        return buf.writeInt(n).writeBytes(out.getBuffer(), 0, n);
    }
}
