package dev.jpb.benchmarks;

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
        server = new Floor.Server();
        client = new Floor.Client(server.port());
        int sum = client.add(20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("floor add(20, 22) returned " + sum);
        }
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
