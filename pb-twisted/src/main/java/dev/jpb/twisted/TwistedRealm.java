package dev.jpb.twisted;

import dev.jpb.Connection;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;

/**
 * Gives a Twisted PB client that logged in with PB's MD5 cred login its avatar (see
 * {@link TwistedPbServer.Builder#allowMd5Login}). Called on the executor after the password
 * checked out; the avatar's {@code remote_} methods are what the client's perspective calls
 * (a Python client calls {@code perspective.callRemote("x")}, which runs {@code remote_x}).
 */
@FunctionalInterface
public interface TwistedRealm {
    /**
     * Returns the avatar for a user.
     *
     * @param username   the user who logged in
     * @param mind       the client's callback object, or {@code null} if it sent none
     * @param connection the connection it logged in on
     * @return the avatar, sent to the client by reference
     */
    Referenceable requestAvatar(String username, RemoteReference mind, Connection connection);
}
