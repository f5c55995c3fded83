package dev.jpb.benchmarks;

import io.netty.handler.ssl.SslContext;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The floor's server and one client connected to it over loopback TCP, for one trial; the
 * server in this JVM, or in a child JVM in two-JVM mode ({@link ServerProcess}).
 */
@State(Scope.Benchmark)
public class FloorState implements ServerSide {
    Floor.Server server;
    ServerProcess child;
    Floor.Client client;

    /** Starts the server and connects the client. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        int port;
        if (ServerProcess.twoJvm()) {
            child = ServerProcess.start(getClass());
            port = child.port();
        } else {
            port = ServerProcess.port(startServer());
        }
        client = new Floor.Client(port, clientTls());
        int sum = client.add(20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("floor add(20, 22) returned " + sum);
        }
    }

    @Override
    public String startServer() throws InterruptedException {
        server = new Floor.Server(serverTls());
        return Integer.toString(server.port());
    }

    @Override
    public void stopServer() {
        if (server != null) {
            server.close();
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

    /** Closes the client, then the server (or ends the server's JVM). */
    @TearDown(Level.Trial)
    public void stop() {
        if (client != null) {
            client.close();
        }
        stopServer();
        if (child != null) {
            child.close();
        }
    }
}
