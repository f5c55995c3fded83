package dev.jpb.examples.lab;

import dev.jpb.PbError;

/**
 * The operator asked to take a station off the procedure's roster, and it cannot be: the station
 * is connected (it can still acknowledge; only one that lost its connection can be removed), or
 * no station has that name. Nothing changed. A {@link PbError}, so it crosses the wire as itself
 * (with {@link #station()}) to a client that registered it; the pushed editor shows its type and
 * message.
 */
public class StationError extends PbError {
    private static final long serialVersionUID = 1L;

    private String station = "";

    /** For jpb, which rebuilds the error on the receiving side and then sets its fields. */
    public StationError() {
    }

    /**
     * Creates the error.
     *
     * @param message why the station stays and what to do
     * @param station the station (user) named
     */
    public StationError(String message, String station) {
        super(message);
        this.station = station;
    }

    /** Returns the station (user) the operator named. */
    public String station() {
        return station;
    }
}
