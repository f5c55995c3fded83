package dev.jpb.internal.broker;

/**
 * Messages waiting in a broker's {@link Outbox} for its event loop to encode and write; the
 * cache frames ({@link dev.jpb.internal.cache.CacheFrame}) wait there as they are.
 */
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

    /**
     * A call's failure to decode its arguments, none of whose references was received: the
     * ERROR says so ({@code argumentsUnread}) and the caller gives them all back.
     */
    record UnreadFailure(long requestId, Throwable error) implements Outbound {
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

    /**
     * A frame of a feature that writes its own header and values (the login frames): {@code
     * writer} runs on the event loop with the frame's output. {@code future}, if not null, is
     * the pending request {@code requestId} that fails if the frame cannot be sent.
     */
    record Custom(long requestId, FrameWriter writer, PbFuture<Object> future)
            implements Outbound {
    }

    /** Writes one frame body (kind byte, header, values) to the output; on the event loop. */
    @FunctionalInterface
    interface FrameWriter {
        void write(com.esotericsoftware.kryo.io.Output out);
    }

    /** Receipts of a copy given back (DECREF), in send order like {@link Release}. */
    record GiveBack(dev.jpb.internal.cache.Receipts receipts) implements Outbound {
    }
}
