package dev.jpb;

import java.util.Optional;

/**
 * One connection's copy of a {@link Cacheable}, as its owner sees it: updates sent through it
 * reach that copy's {@code observe_<name>} methods. There is one observer per connection that
 * holds a copy; it is handed to {@link Cacheable#stateFor} and taken back by {@link
 * Cacheable#stoppedObserving}. Thread-safe. On a connection that has logged in, {@link
 * #avatar()} says whose copy it is.
 */
public interface Observer {
    /**
     * Sends an update: the copy runs its public method {@code observe_<name>(args)}. One-way (no
     * answer; a failure is only logged by the receiver) and in order: the updates of one
     * connection run in the order sent, after the copy's initial state, one at a time on the
     * receiver's executor. Once the copy is gone (see {@link #isObserving()}) updates are
     * dropped.
     *
     * @param name the method name without the {@code observe_} prefix
     * @param args the arguments, values of allowed types (references and cacheables too)
     */
    void callRemote(String name, Object... args);

    /**
     * Returns the connection the copy lives on the other side of.
     *
     * @return the connection the copy lives on the other side of
     */
    Connection connection();

    /**
     * Returns whether the copy is still there: false once {@link Cacheable#stoppedObserving}
     * is due for this observer.
     *
     * @return whether the copy is still there
     */
    boolean isObserving();

    /**
     * Returns the avatar of the session logged in on this observer's connection now (by
     * password or anonymously), or empty if there is none: the connection never logged in, or
     * its session ended (logout, release of the perspective, the connection lost). It follows
     * the session: after a new login it returns the new avatar. For a {@code stateFor} that
     * builds each user's own view, or a fan-out that skips some users.
     *
     * @return the session's avatar, or empty
     */
    default Optional<Avatar> avatar() {
        return Optional.empty();
    }

    /**
     * Returns the avatar id of the session logged in on this observer's connection now: the
     * user name the login authenticated (or the anonymous id), as the realm received it; empty
     * as {@link #avatar()} is. It follows the session as {@link #avatar()} does. For a cacheable
     * that tells users apart across their connections, such as a
     * {@link dev.jpb.cache.StepBarrier#byUser()}.
     *
     * @return the session's avatar id, or empty
     */
    default Optional<String> avatarId() {
        return Optional.empty();
    }
}
