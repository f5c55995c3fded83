package dev.jpb.benchmarks;

import dev.jpb.Referenceable;
import dev.jpb.Root;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JpbState} (default executors on both ends) whose server and callback methods are
 * marked {@link dev.jpb.NonBlocking}, as an application marks methods that never block: they
 * run on the I/O threads, the rest of jpb is unchanged.
 */
@State(Scope.Benchmark)
public class JpbNonBlockingState extends JpbState {
    @Override
    Root rootObject() {
        return new NonBlockingAddRoot();
    }

    @Override
    Referenceable newCallback() {
        return new NonBlockingPingCallback();
    }
}
