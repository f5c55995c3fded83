package dev.jpb.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The JMH state of a fan-out benchmark (W6, W9): one {@link FanOut} for a whole trial, opened
 * and warmed by one round before the first iteration, closed after the last. A subclass says
 * which side it opens.
 */
@State(Scope.Benchmark)
public abstract class FanOutTrial {
    FanOut fanOut;

    /** Opens the fan-out of this state: its server and connected clients. */
    abstract FanOut open() throws Exception;

    /** Opens the fan-out and delivers one round (every client set up end to end). */
    @Setup(Level.Trial)
    public void start() throws Exception {
        fanOut = open();
        fanOut.deliverToAll();
    }

    /** Closes everything. */
    @TearDown(Level.Trial)
    public void stop() {
        if (fanOut != null) {
            fanOut.close();
        }
    }
}
