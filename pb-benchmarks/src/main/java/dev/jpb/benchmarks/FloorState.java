package dev.jpb.benchmarks;

import io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The floor's server and one client connected to it over loopback TCP, for one trial. */
@State(Scope.Benchmark)
public class FloorState {
    Floor.Server server;
    Floor.Client client;

    /** Starts the server and connects the client. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new Floor.Server(serverTls());
        client = new Floor.Client(server.port(), clientTls());
        int sum = client.add(20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("floor add(20, 22) returned " + sum);
        }
    }

    /** Returns the server's TLS context; {@code null} for plaintext. */
    SslContext serverTls() {
        return null;
    }

    /** Returns the client's TLS context; {@code null} for plaintext. */
    SslContext clientTls() {
        return null;
    }

    /** Closes the client, then the server. */
    @TearDown(Level.Trial)
    public void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
