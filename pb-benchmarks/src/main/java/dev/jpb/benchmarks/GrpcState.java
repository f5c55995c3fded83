package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** The grpc-java baseline's server and one client connected to it over loopback TCP. */
@State(Scope.Benchmark)
public class GrpcState {
    Grpc.Server server;
    Grpc.Client client;

    /** Starts the server, connects the client and checks one call. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new Grpc.Server();
        client = new Grpc.Client(server.port());
        int sum = client.add(20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("grpc add(20, 22) returned " + sum);
        }
        System.out.printf("%ngrpc-java baseline on %s%n", Grpc.isEpoll() ? "epoll" : "NIO");
    }

    /** Closes the client, then the server. */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
