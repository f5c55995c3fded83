package dev.jpb.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JpbState} over TLS: the server presents {@link TlsBench#IDENTITY}, the client pins
 * it; default executors on both ends.
 */
@State(Scope.Benchmark)
public class JpbTlsState extends JpbState {
    @Override
    boolean tls() {
        return true;
    }
}
