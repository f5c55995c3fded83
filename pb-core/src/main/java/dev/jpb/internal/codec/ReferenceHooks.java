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
     * Returns our exported object {@code id}, sent back to us by the peer.
     *
     * @throws dev.jpb.PbException if we export no such object
     */
    Referenceable exportedObject(long id);
}
