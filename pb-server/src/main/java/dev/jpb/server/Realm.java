package dev.jpb.server;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;

/**
 * Hands out avatars: after a client's credentials were checked, the realm decides what that
 * user sees of the application (Twisted's {@code IRealm}). Enabled with
 * {@code PbServer.builder().realm(realm).passwords(passwords)}.
 *
 * <p>Called on the application's executor (never on an I/O thread) once per successful login.
 * Must be thread-safe: logins of different connections run concurrently.
 */
@FunctionalInterface
public interface Realm {
    /**
     * Returns the avatar of a user who has just logged in. The client receives a reference to
     * it (its perspective). Returning the same avatar for several sessions of one user is
     * allowed; it then sees one {@link Avatar#loggedOut loggedOut} per session.
     *
     * @param avatarId the authenticated user name, as the credential store knows it
     *     (SASLprep'd, see {@link Passwords#add})
     * @param mind a reference to the client's own callback object, through which the server
     *     can call the client (e.g. to push chat messages); {@code null} if the client passed
     *     none
     * @param connection the connection logging in
     * @return the avatar, not {@code null}
     */
    Avatar requestAvatar(String avatarId, RemoteReference mind, Connection connection);
}
