package dev.jpb;

/**
 * A logged-in session's view of the application: what the server's realm hands out for a user
 * when that user logs in (Twisted PB's avatar, whose reference on the client is the
 * <em>perspective</em>).
 *
 * <p>The client receives a {@link RemoteReference} to the avatar from its login, and
 * {@code callRemote("x", args)} on that reference runs the avatar's public method
 * {@code perspective_x(args)}; name and arity resolve as for {@code remote_} methods. An
 * avatar's {@code remote_} methods are <em>not</em> callable: a user reaches only what its
 * perspective offers. An avatar reaches other users' objects only through what the
 * application gives it; that is all the authorization jpb does.
 *
 * <p>A session is one login on one connection. {@link #loggedOut(Connection)} runs exactly once
 * per session, when the first of these happens: the client logs out, the connection closes, the
 * client releases its perspective, or the client logs in again on the same connection (the new
 * login replaces the old one). Like {@code remote_} methods, {@code perspective_} methods and
 * {@code loggedOut} run on the application's executor, never on an I/O thread. One avatar
 * object may serve several sessions (several connections of one user); it then sees one
 * {@code loggedOut} per session and must be thread-safe.
 */
public abstract class Avatar extends Referenceable {
    /** Creates an avatar. */
    protected Avatar() {
    }

    /**
     * Called once when a session of this avatar ends (logout, disconnect, released
     * perspective, or a new login on the same connection). The default does nothing. An
     * exception thrown here is logged and otherwise ignored.
     *
     * @param connection the connection whose session ended; it may already be closed
     */
    protected void loggedOut(Connection connection) {
    }
}
