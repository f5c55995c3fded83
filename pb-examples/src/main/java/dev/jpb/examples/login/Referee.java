package dev.jpb.examples.login;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;

/** The referee's perspective: the board to watch, and a reset players do not have. */
public final class Referee extends Avatar {
    private final String name;
    private final Board board;
    private final RemoteReference mind;

    Referee(String name, Board board, RemoteReference mind) {
        this.name = name;
        this.board = board;
        this.mind = mind;
        board.watch(mind, name);
    }

    /** The shared board (the referee may look, not move). */
    public Board perspective_board() {
        return board;
    }

    /** Clears the board for a new game. */
    public void perspective_reset() {
        board.reset(name);
    }

    /** Who this perspective belongs to. */
    public String perspective_whoami() {
        return "referee " + name;
    }

    @Override
    protected void loggedOut(Connection connection) {
        board.unwatch(mind);
    }
}
