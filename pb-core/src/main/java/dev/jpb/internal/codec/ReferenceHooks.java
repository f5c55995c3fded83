package dev.jpb.internal.codec;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;

/** How the codec turns references into ids and back; implemented by a connection's broker. */
public interface ReferenceHooks {
    /** Exports {@code object} once more (one more count) and returns its id. */
    long export(Referenceable object);

    /** Undoes one {@link #export} whose message was never sent. */
    void unexport(long id);

    /**
     * Returns the peer's id of an object we hold a proxy for.
     *
     * @throws dev.jpb.PbException if the proxy belongs to another connection or was released
     */
    long remoteIdOf(RemoteReference reference);

    /** Returns the proxy for the peer's object {@code id}, counting one more receipt. */
    RemoteReference importReference(long id);

    /**
     * Takes back one receipt counted by {@link #importReference} for a message that could not
     * be read whole: the peer gives that send back itself, so no release is sent for it.
     */
    default void unimport(long id) {
    }

    /**
     * Returns our exported object {@code id}, sent back to us by the peer.
     *
     * @throws dev.jpb.PbException if we export no such object
     */
    Referenceable exportedObject(long id);

    /**
     * Exports a {@link dev.jpb.Cacheable} once more and returns its id (CACHE value).
     *
     * @throws dev.jpb.internal.cache.CacheStateNeeded if it is new to the connection
     */
    default long exportCache(Object cacheable) {
        throw new dev.jpb.PbException("cannot send " + cacheable.getClass().getName()
                + ": this connection does not send cacheables");
    }

    /** Returns the copy of the peer's cacheable {@code id}, counting one more receipt. */
    default Object importCache(long id) {
        throw new dev.jpb.PbException("this connection takes no cacheables");
    }

    /** Returns the peer's id of one of our copies of its cacheables (sent back as YOURS). */
    default long idOfCopy(Object copy) {
        throw new dev.jpb.PbException("cannot send " + copy.getClass().getName()
                + ": not a copy from this connection");
    }
}
