package dev.jpb.internal.metrics;

/** What the cache gauges read of one connection; any thread, a recent value. */
public interface CacheCounts {
    /** No cacheables: both counts 0. */
    CacheCounts NONE = new CacheCounts() {
        @Override
        public int observedCount() {
            return 0;
        }

        @Override
        public int copyCount() {
            return 0;
        }
    };

    /** Returns how many of this end's cacheables the peer holds a copy of (its observers). */
    int observedCount();

    /** Returns how many copies of the peer's cacheables this end holds. */
    int copyCount();
}
