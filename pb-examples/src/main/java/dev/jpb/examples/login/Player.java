package dev.jpb.examples.login;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;

/** A player's perspective: the board, and a word to everyone watching. */
public final class Player extends Avatar {
    private final String name;
    private final Board board;
    private final RemoteReference mind;

    Player(String name, Board board, RemoteReference mind) {
        this.name = name;
        this.board = board;
        this.mind = mind;
        board.watch(mind, name);
    }

    /** The player's name. */
    public String name() {
        return name;
    }

    /** The shared board: call {@code move(cell)} on it. */
    public Board perspective_board() {
        return board;
    }

    /** Who this perspective belongs to. */
    public String perspective_whoami() {
        return "player " + name;
    }

    @Override
    protected void loggedOut(Connection connection) {
        board.unwatch(mind);
    }
}
