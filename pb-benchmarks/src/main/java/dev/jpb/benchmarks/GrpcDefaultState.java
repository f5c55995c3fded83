package dev.jpb.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link GrpcState} with gRPC's default executors on both ends instead of
 * {@code directExecutor()}: handlers and the client's answers run on gRPC's shared cached
 * thread pool, the hand-offs jpb's default executors also make.
 */
@State(Scope.Benchmark)
public class GrpcDefaultState extends GrpcState {
    @Override
    boolean direct() {
        return false;
    }
}
