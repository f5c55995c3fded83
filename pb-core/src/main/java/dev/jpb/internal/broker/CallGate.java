package dev.jpb.internal.broker;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure on inbound calls (docs/protocol.md §8): at most {@code maxInFlightCalls} CALLs
 * and ROOTs of one connection in flight. Past the limit only new calls wait, held in arrival
 * order; every other frame (answers, errors, releases, type definitions) is still read and
 * handled, since a call in flight may be waiting for an answer. Only when the held calls take
 * more than {@code max(maxFrameBytes, 1 MiB)} (their bodies and ~128 bytes of bookkeeping each)
 * does the connection stop reading from its socket, so memory stays bounded against a peer that
 * ignores the back-pressure.
 *
 * <p>Calls are also held while the channel is not writable (its outbound buffer is past Netty's
 * high water mark): a peer that sends calls without reading their answers would otherwise make
 * this end queue every answer. Answers, errors and releases are still read, so two ends that
 * both wait for writability still drain each other; the held calls start once the channel is
 * writable again. What such a peer costs is thus the answers of at most
 * {@code maxInFlightCalls} calls plus the held-call bound above.
 *
 * <p>Arrival, holding and starting happen on the event loop; a call's end may come from any
 * thread, and what it frees is handed back to the loop as a task (never started inline, so the
 * start order is arrival order).
 */
final class CallGate {
    private static final long MIN_HELD_BYTES = 1 << 20;

    private final Broker broker;
    private final Channel channel;
    private final int max;
    private final long maxHeldBytes;
    private final AtomicInteger inFlight = new AtomicInteger();
    // Held calls, and the in-order work (copy updates) that arrived behind them; event loop.
    private final ArrayDeque<Runnable> held = new ArrayDeque<>();
    private long heldBytes; // guarded by the event loop
    private boolean readsStopped; // guarded by the event loop
    // Written on the event loop: calls are held. Read by callDone on any thread; with inFlight
    // (also sequentially consistent) no freed slot goes unnoticed.
    private volatile boolean holding;
    private final Runnable startHeld = this::startHeld;

    CallGate(Broker broker, Channel channel, int maxInFlightCalls, int maxFrameBytes) {
        this.broker = broker;
        this.channel = channel;
        this.max = maxInFlightCalls;
        this.maxHeldBytes = Math.max(maxFrameBytes, MIN_HELD_BYTES);
    }

    /** A call arrived: it starts now, or waits behind the calls already held. */
    void arrive(InboundCall call) {
        assert channel.eventLoop().inEventLoop();
        if (!holding && inFlight.get() < max && channel.isWritable()) {
            inFlight.incrementAndGet();
            broker.calls.start(call);
            return;
        }
        held.add(call);
        heldBytes += call.bytes;
        if (!holding) {
            holding = true;
            Broker.log.debug("{}: {} calls in flight (maxInFlightCalls {}), writable {}; "
                    + "holding new calls", broker, inFlight.get(), max, channel.isWritable());
        }
        if (!readsStopped && heldBytes >= maxHeldBytes) {
            readsStopped = true;
            channel.config().setAutoRead(false);
            Broker.log.debug("{}: {} calls held; pausing reads", broker, held.size());
        }
        if (inFlight.get() < max && channel.isWritable()) {
            // A call ended before 'holding' was set, and saw it unset: start what it freed.
            channel.eventLoop().execute(startHeld);
        }
    }

    /**
     * Other inbound work that keeps its place among the calls (a copy's update, docs/protocol.md
     * §6.13): it runs in the connection's call order, behind every call that arrived before it,
     * held ones included. It takes no call slot.
     */
    void arriveInOrder(Runnable task) {
        assert channel.eventLoop().inEventLoop();
        if (held.isEmpty()) {
            broker.calls.runInOrder(task);
        } else {
            held.add(task);
        }
    }

    /** The channel's writability changed (event loop): start held calls if it can write. */
    void writabilityChanged() {
        assert channel.eventLoop().inEventLoop();
        if (holding && channel.isWritable()) {
            startHeld();
        }
    }

    /** A call ended (its answer is queued): on any thread. */
    void callDone() {
        if (inFlight.decrementAndGet() < max && holding) {
            channel.eventLoop().execute(startHeld);
        }
    }

    private void startHeld() {
        assert channel.eventLoop().inEventLoop();
        Runnable next;
        while ((next = held.peek()) != null) {
            if (!(next instanceof InboundCall call)) {
                held.poll();
                broker.calls.runInOrder(next);
                continue;
            }
            if (inFlight.get() >= max || !channel.isWritable()) {
                break;
            }
            held.poll();
            heldBytes -= call.bytes;
            inFlight.incrementAndGet();
            broker.calls.start(call);
        }
        if (held.isEmpty()) {
            holding = false;
        }
        if (readsStopped && heldBytes < maxHeldBytes / 2 && channel.isActive()) {
            readsStopped = false;
            if (!broker.cache.readsPaused()) { // copy updates may hold reads back too
                channel.config().setAutoRead(true);
                Broker.log.debug("{}: resuming reads", broker);
            }
        }
    }

    /** Returns whether held calls have stopped reading from the socket (event loop). */
    boolean readsStopped() {
        return readsStopped;
    }

    /** Returns whether new calls are being held. */
    boolean isHolding() {
        return holding;
    }

    /** Drops the held calls (the connection is gone). */
    void clear() {
        assert channel.eventLoop().inEventLoop();
        Runnable next;
        while ((next = held.poll()) != null) {
            if (next instanceof InboundCall call) {
                call.discard();
            } else {
                broker.calls.runInOrder(next); // a copy's update: it releases what it holds
            }
        }
        heldBytes = 0;
    }
}
