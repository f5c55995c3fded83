package dev.jpb.benchmarks;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A jpb server and one client connected to it over loopback TCP, with default settings (the
 * default executors on both ends), for one trial. The server runs in this JVM, or in a child
 * JVM in two-JVM mode ({@link ServerProcess}), with the same settings there.
 */
@State(Scope.Benchmark)
public class JpbState implements ServerSide {
    PbServer server;
    ServerProcess child;
    PbClient client;
    RemoteReference root;
    /** W4's client-side callback object. */
    Referenceable callback;
    private MeterRegistry registry;

    /** Starts the server, connects the client and fetches the root object. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        callback = newCallback();
        int port;
        if (ServerProcess.twoJvm()) {
            child = ServerProcess.start(getClass());
            port = child.port();
        } else {
            port = ServerProcess.port(startServer());
        }
        PbClient.Builder clientBuilder = PbClient.builder();
        Executor executor = executor();
        if (executor != null) {
            clientBuilder.executor(executor);
        }
        if (registry() != null) {
            clientBuilder.meterRegistry(registry());
        }
        if (tls()) {
            clientBuilder.pinServer(TlsBench.IDENTITY.fingerprint());
        }
        client = clientBuilder.connect("127.0.0.1", port);
        root = client.getRootObject().get(10, TimeUnit.SECONDS);
        int sum = root.<Integer>callRemote("add", 20, 22).get(10, TimeUnit.SECONDS);
        if (sum != 42) {
            throw new IllegalStateException("jpb add(20, 22) returned " + sum);
        }
    }

    /** Starts the server with this state's settings in this JVM; returns its port. */
    @Override
    public String startServer() {
        PbServer.Builder serverBuilder = PbServer.builder().root(rootObject());
        Executor executor = executor();
        if (executor != null) {
            serverBuilder.executor(executor);
        }
        if (registry() != null) {
            serverBuilder.meterRegistry(registry());
        }
        if (tls()) {
            serverBuilder.tls(TlsBench.IDENTITY);
        }
        server = serverBuilder.bind("127.0.0.1", 0).build().start();
        return Integer.toString(server.port());
    }

    @Override
    public void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** This JVM's registry, {@link #meterRegistry} made once; shared by both ends in-process. */
    private MeterRegistry registry() {
        if (registry == null) {
            registry = meterRegistry();
        }
        return registry;
    }

    /** Returns the server's root. */
    Root rootObject() {
        return new AddRoot();
    }

    /** Returns a new W4 callback object. */
    Referenceable newCallback() {
        return new PingCallback();
    }

    /** Returns the executor both ends run user code on; {@code null} for jpb's default. */
    Executor executor() {
        return null;
    }

    /** Returns the registry both ends record metrics in; {@code null} for none (the default). */
    MeterRegistry meterRegistry() {
        return null;
    }

    /** Returns whether both ends speak TLS (the server's identity pinned by the client). */
    boolean tls() {
        return false;
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
