package dev.jpb.internal.thin;

import static java.util.Objects.requireNonNull;

import dev.jpb.Cacheable;
import dev.jpb.Referenceable;

/**
 * What a server's {@code RemoteWindow.bind} sends a thin client: a reference the client asks
 * for the cacheable, instead of the cacheable itself. The client releases the copies of the
 * bindings it drops; a cacheable sent again while such a release is on its way arrives as a
 * copy the client no longer holds, which fails the decoding of the message carrying it. In a
 * call that would count against the server as a protocol violation; in the answer to the
 * client's own call it only fails that call, and the client asks again, after its release
 * (docs/thin.md). Not API.
 */
public final class CacheSource extends Referenceable {
    private final Cacheable cacheable;

    /** Wraps the cacheable a control is bound to. */
    public CacheSource(Cacheable cacheable) {
        this.cacheable = requireNonNull(cacheable, "cacheable");
    }

    /** Returns the cacheable: its copy on the client, by value. */
    public Cacheable remote_cacheable() {
        return cacheable;
    }
}
