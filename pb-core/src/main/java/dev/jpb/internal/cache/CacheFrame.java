package dev.jpb.internal.cache;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.PbException;

/**
 * A cache message waiting in a broker's outbox: a copy's initial state (CACHE) or an update
 * (OBSERVE). Encoded on the event loop, in queue order.
 */
public interface CacheFrame {
    /**
     * Writes the frame body to {@code out}.
     *
     * @throws CacheStateNeeded if a cacheable in it is new to the connection: the outbox waits
     *     for its state and tries again
     * @throws PbException if the frame cannot be sent (nothing is written then)
     */
    void encode(Output out);

    /** Told that the frame could not be sent, and why. */
    void refused(PbException why);
}
