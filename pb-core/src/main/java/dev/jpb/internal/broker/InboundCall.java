package dev.jpb.internal.broker;

import dev.jpb.Referenceable;
import dev.jpb.internal.dispatch.Invoker;
import dev.jpb.internal.metrics.MeteredCall;
import io.netty.buffer.ByteBuf;

/**
 * One inbound CALL or ROOT from its arrival to its answer: the header, the target resolved in
 * arrival order, and the undecoded arguments. Run as the connection's serial task, it decodes
 * the arguments there (off the event loop) and invokes the method. Owns its frame body and a
 * pin on the export table until the arguments are decoded or discarded. Once answered with a
 * value, the call itself is the {@link Outbox}'s message that writes the ANSWER (no message
 * object per answer).
 */
final class InboundCall extends CallScope implements Runnable, Outbound {
    final long requestId;
    final long targetId;
    final String method; // "root" for a ROOT
    final int argc;
    final boolean root;
    final Referenceable target; // resolved on arrival; null if unknown (or a ROOT)
    final int bytes; // what the call holds while it waits
    // Written on the event loop before the call is queued; the executor's queue publishes them.
    Invoker invoker; // found before the call starts
    Throwable failure; // answered instead of running, when set before the start
    io.netty.util.concurrent.ScheduledFuture<?> deadlineTimer; // see Cancellation; or null
    MeteredCall metered; // ends its metrics; null with metrics off (or a ROOT)
    // The method's result: written once, before the call is queued in the outbox as its ANSWER
    // (the outbox's queue publishes it to the event loop).
    Object answer;
    private final Broker broker;
    // Owned by whoever holds the call: the gate on the loop, then the thread serving it.
    private ByteBuf args; // at the first argument; null if none, or taken

    InboundCall(Broker broker, long requestId, long targetId, String method, int argc,
            boolean root, Referenceable target, ByteBuf args) {
        this.broker = broker;
        this.requestId = requestId;
        this.targetId = targetId;
        this.method = method;
        this.argc = argc;
        this.root = root;
        this.target = target;
        this.args = args;
        this.bytes = 128 + (args == null ? 0 : args.readableBytes());
    }

    @Override
    public void run() {
        broker.calls.serve(this);
    }

    /** Takes the undecoded arguments (the caller then owns them), or null if there are none. */
    ByteBuf takeArgs() {
        ByteBuf b = args;
        args = null;
        return b;
    }

    @Override
    public String toString() {
        return "call remote_" + method + " (request " + requestId + ")";
    }

    /** Drops the arguments undecoded: the call will not run. */
    void discard() {
        ByteBuf b = takeArgs();
        if (b != null) {
            b.release();
            broker.exports.unpin();
        }
    }
}
