package dev.jpb.benchmarks;

import java.util.concurrent.Executor;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JpbState} with the direct executor ({@code Runnable::run}) on both ends: remote
 * methods run and futures complete on the event loops. Not a configuration to recommend (a
 * blocking method stalls its connection); it shows what the hand-offs to the default executors
 * cost.
 */
@State(Scope.Benchmark)
public class JpbDirectState extends JpbState {
    @Override
    Executor executor() {
        return Runnable::run;
    }
}
