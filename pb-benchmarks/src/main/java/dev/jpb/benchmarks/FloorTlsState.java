package dev.jpb.benchmarks;

import io.netty.handler.ssl.SslContext;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** {@link FloorState} over TLS: the TLS floor, what jpb over TLS is measured against. */
@State(Scope.Benchmark)
public class FloorTlsState extends FloorState {
    @Override
    SslContext serverTls() {
        return TlsBench.server();
    }

    @Override
    SslContext clientTls() {
        return TlsBench.client();
    }
}
