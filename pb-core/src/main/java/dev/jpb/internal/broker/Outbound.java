package dev.jpb.internal.broker;

/** Messages waiting in a broker's {@link Outbox} for its event loop to encode and write. */
interface Outbound {
    /** A call; {@code requestId} 0 asks for no answer ({@code future} is then null). */
    record Call(long requestId, long targetId, String method, Object[] args,
            PbFuture<Object> future) implements Outbound {
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

    /** A cacheable's state (CACHE) or an update to a copy (OBSERVE). */
    record Cache(dev.jpb.internal.cache.CacheFrame frame) implements Outbound {
    }

    /** Receipts of a copy given back (DECREF), in send order like {@link Release}. */
    record GiveBack(dev.jpb.internal.cache.Receipts receipts) implements Outbound {
    }
}
