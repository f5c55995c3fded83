package dev.jpb.benchmarks;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Java RMI baseline ({@link Rmi}) for one trial: the server's object exported on an
 * ephemeral loopback port (in this JVM, or in a child JVM in two-JVM mode), its stub, and
 * W4's callback object exported by the client. Both objects are unexported at tear-down
 * (forcibly), which ends RMI's non-daemon "RMI Reaper" thread and closes the listeners, so no
 * RMI state outlives the trial.
 */
@State(Scope.Benchmark)
public class RmiState implements ServerSide {
    Rmi.Server server;
    ServerProcess child;
    Rmi.Bench bench;
    Rmi.PingBack pingBack;
    /** W4's callback: the stub of {@link #pingBack}. */
    Rmi.Callback callback;

    /** Starts the server, reads its stub, exports the callback and checks one call of each. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        String address;
        if (ServerProcess.twoJvm()) {
            child = ServerProcess.start(RmiState.class);
            address = child.address();
        } else {
            address = startServer();
        }
        bench = Rmi.bench(address.substring(address.indexOf(' ') + 1));
        pingBack = new Rmi.PingBack();
        callback = pingBack.export();
        int sum = bench.add(20, 22);
        int pinged = bench.withCallback(callback, 41);
        if (sum != 42 || pinged != 42) {
            throw new IllegalStateException("RMI add(20, 22) returned " + sum
                    + ", withCallback(41) " + pinged);
        }
    }

    @Override
    public String startServer() throws Exception {
        server = new Rmi.Server();
        return server.port() + " " + server.stubText();
    }

    @Override
    public void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Unexports the callback and the server's object, or ends the server's JVM. */
    @TearDown(Level.Trial)
    public void stop() {
        if (pingBack != null) {
            pingBack.close();
        }
        stopServer();
        if (child != null) {
            child.close();
        }
    }
}
