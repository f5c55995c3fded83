package dev.jpb.internal.twisted;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;

/** What Jelly asks of the connection it serializes for: the reference tables. */
interface JellyPeer {
    /** Exports {@code object} (counting one more send) and returns its luid. */
    Object export(Referenceable object);

    /** Returns the luid if {@code ref} is the peer's object on this connection, else null. */
    Object luidOf(RemoteReference ref);

    /** Returns the proxy for the peer's object {@code luid}, counting one more reception. */
    RemoteReference importReference(Object luid);

    /** Returns our object exported as {@code luid}, or {@code null} if there is none. */
    Object localObject(Object luid);
}
