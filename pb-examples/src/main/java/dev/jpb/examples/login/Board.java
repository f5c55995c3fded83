package dev.jpb.examples.login;

import dev.jpb.RemoteReference;
import dev.jpb.Viewable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A nine-cell board shared by every session. Its {@code view_} methods receive the avatar of
 * whoever calls, so the board knows who moved without trusting the client to say it; only a
 * {@link Player} can move (a referee's call fails: its avatar is not a {@code Player}). Every
 * change is pushed to the minds of everyone watching.
 */
public final class Board extends Viewable {
    private final String[] cells = new String[9]; // guarded by this
    private final Map<RemoteReference, String> watchers = new ConcurrentHashMap<>();

    /** Takes {@code cell} (0-8) for the calling player; returns what happened. */
    public String view_move(Player who, int cell) {
        String done;
        synchronized (this) {
            if (cell < 0 || cell >= cells.length) {
                throw new IllegalArgumentException("cell " + cell + " (expected: 0..8)");
            }
            if (cells[cell] != null) {
                throw new IllegalStateException("cell " + cell + " is " + cells[cell] + "'s");
            }
            cells[cell] = who.name();
            done = who.name() + " took cell " + cell;
        }
        push(done);
        return done;
    }

    /** Returns the cells, each the name of the player who took it or "". */
    public List<String> remote_cells() {
        synchronized (this) {
            List<String> out = new ArrayList<>(cells.length);
            for (String c : cells) {
                out.add(c == null ? "" : c);
            }
            return out;
        }
    }

    /** Clears the board (the referee's perspective calls this). */
    void reset(String by) {
        synchronized (this) {
            Arrays.fill(cells, null);
        }
        push("board reset by " + by);
    }

    /** Starts pushing changes to {@code mind} (a client's callback object). */
    void watch(RemoteReference mind, String name) {
        if (mind != null) {
            watchers.put(mind, name);
            mind.notifyOnDisconnect(watchers::remove);
        }
    }

    /** Stops pushing to {@code mind}. */
    void unwatch(RemoteReference mind) {
        if (mind != null) {
            watchers.remove(mind);
        }
    }

    private void push(String news) {
        for (RemoteReference mind : watchers.keySet()) {
            mind.callRemoteOnly("news", news); // one-way: a slow client does not hold us up
        }
    }
}
