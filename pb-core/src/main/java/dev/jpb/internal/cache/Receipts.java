package dev.jpb.internal.cache;

/** Receipts of one of the peer's objects to give back in a DECREF, in send order. */
public interface Receipts {
    /** Returns the peer's object id. */
    long id();

    /** Takes effect now (in the connection's send order): returns the count to give back. */
    long leave();

    /** A fixed number of receipts, given back at once. */
    record Fixed(long id, long count) implements Receipts {
        @Override
        public long leave() {
            return count;
        }
    }
}
