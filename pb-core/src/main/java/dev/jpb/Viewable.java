package dev.jpb;

/**
 * An object passed by reference, shared by many users, that knows which user calls it: its
 * public methods named {@code view_<name>} take the calling session's {@link Avatar} as their
 * first parameter, filled in by jpb; the caller passes only the rest.
 *
 * <pre>{@code
 * public final class Board extends Viewable {
 *     public void view_move(Player who, int from, int to) { ... }   // Player extends Avatar
 * }
 * board.callRemote("move", 12, 28);   // on the client: two arguments
 * }</pre>
 *
 * <p>Each call sees the avatar of the session that made it, so one board shared by two players
 * tells them apart. The first parameter may be declared as {@code Avatar} or a subclass; a call
 * from a connection with no logged-in session fails with {@link NotLoggedInException}, and one
 * whose avatar is not an instance of the declared type fails with
 * {@link BadArgumentException}. Arity counts the caller's arguments only. {@code remote_}
 * methods of a viewable stay callable as on any {@link Referenceable}. A viewable is usually
 * shared by many connections, so it must be thread-safe.
 */
public abstract class Viewable extends Referenceable {
    /** Creates a viewable object. */
    protected Viewable() {
    }
}
