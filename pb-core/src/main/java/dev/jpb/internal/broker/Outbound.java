package dev.jpb.internal.broker;

/** Messages waiting in a broker's {@link Outbox} for its event loop to encode and write. */
interface Outbound {
    /**
     * A call; {@code requestId} 0 asks for no answer ({@code future} is then null). {@code
     * deadline} is a {@code System.nanoTime()} instant, or {@link CallScope#NO_DEADLINE}.
     */
    record Call(long requestId, long targetId, String method, Object[] args,
            PbFuture<Object> future, long deadline) implements Outbound {
        /** A call without a deadline. */
        Call(long requestId, long targetId, String method, Object[] args,
                PbFuture<Object> future) {
            this(requestId, targetId, method, args, future, CallScope.NO_DEADLINE);
        }
    }

    /** A frame with no values: CANCEL, PING, PONG. */
    record Control(dev.jpb.internal.wire.Frame frame) implements Outbound {
    }

    /** A call's result. */
    record Answer(long requestId, Object value) implements Outbound {
    }

    /** A call's failure. */
    record Failure(long requestId, Throwable error) implements Outbound {
    }

    /** A request for the peer's root object. */
    record RootRequest(long requestId) implements Outbound {
    }

    /**
     * A released proxy: it takes effect here, in queue order, after every message that may
     * still send it, and its receipts go back in a DECREF.
     */
    record Release(ImportTable.Entry entry) implements Outbound {
    }
}
