package dev.jpb.benchmarks;

import dev.jpb.RemoteReference;
import dev.jpb.twisted.TwistedPbClient;
import dev.jpb.twisted.TwistedPbServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * W1 (sequential {@code add(20, 22)}, each call awaited) over Twisted PB's wire: a jpb
 * {@code TwistedPbClient} against a jpb {@code TwistedPbServer}, and against a Python Twisted
 * {@code PBServerFactory}. The Python-to-Python baseline is measured by
 * {@code twisted/bench_client.py} outside JMH ({@code pb-benchmarks/twisted-bench.sh} runs all
 * three in one sitting and prints the ratio).
 */
@State(Scope.Thread)
public class TwistedWire {
    int a = 20;
    int b = 22;

    /** A jpb server and client speaking Twisted PB to each other. */
    @State(Scope.Benchmark)
    public static class JpbToJpb {
        TwistedPbServer server;
        TwistedPbClient client;
        RemoteReference root;

        /** Starts both ends. */
        @Setup(Level.Trial)
        public void start() {
            TwistedPbServer.Builder serverBuilder = TwistedPbServer.builder()
                    .root(nonBlocking() ? new NonBlockingAddRoot() : new AddRoot())
                    .bind("127.0.0.1", 0);
            TwistedPbClient.Builder clientBuilder = TwistedPbClient.builder();
            if (direct()) {
                serverBuilder.executor(Runnable::run);
                clientBuilder.executor(Runnable::run);
            }
            server = serverBuilder.build().start();
            client = clientBuilder.connect("127.0.0.1", server.port());
            root = client.getRootObject().join();
            check(root);
        }

        /** Whether both ends run user code on the I/O thread (the direct executor). */
        boolean direct() {
            return false;
        }

        /** Whether the server's {@code remote_add} is marked {@code @NonBlocking}. */
        boolean nonBlocking() {
            return false;
        }

        /** Stops both ends. */
        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            server.close();
        }
    }

    /** {@link JpbToJpb} with {@code remote_add} marked {@code @NonBlocking}. */
    @State(Scope.Benchmark)
    public static class JpbToJpbNonBlocking extends JpbToJpb {
        @Override
        boolean nonBlocking() {
            return true;
        }
    }

    /** {@link JpbToJpb} with the direct executor on both ends: no hand-off to a pool. */
    @State(Scope.Benchmark)
    public static class JpbToJpbDirect extends JpbToJpb {
        @Override
        boolean direct() {
            return true;
        }
    }

    /** A jpb client of a Python Twisted PB server (a child process). */
    @State(Scope.Benchmark)
    public static class JpbToPython {
        Process python;
        TwistedPbClient client;
        RemoteReference root;

        /** Starts the Python server and connects. */
        @Setup(Level.Trial)
        public void start() throws IOException {
            python = startPython("bench_server.py");
            BufferedReader out = new BufferedReader(new InputStreamReader(
                    python.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().substring("PORT ".length()).trim());
            client = TwistedPbClient.connect("127.0.0.1", port);
            root = client.getRootObject().join();
            check(root);
        }

        /** Disconnects and kills the Python server. */
        @TearDown(Level.Trial)
        public void stop() {
            client.close();
            python.destroyForcibly();
        }
    }

    static void check(RemoteReference root) {
        int sum = root.<Integer>callRemote("add", 20, 22).orTimeout(10, TimeUnit.SECONDS)
                .join();
        if (sum != 42) {
            throw new IllegalStateException("add(20, 22) returned " + sum);
        }
    }

    /** Starts a script of this jar's {@code twisted/} resources with a python3 that has Twisted. */
    static Process startPython(String script, String... args) throws IOException {
        Path file = Files.createTempFile("jpb-bench-", "-" + script);
        file.toFile().deleteOnExit();
        try (InputStream in = TwistedWire.class.getResourceAsStream("/twisted/" + script)) {
            Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
                : "python3";
        List<String> command = new java.util.ArrayList<>(List.of(python, "-u",
                file.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** jpb to jpb over the Twisted wire, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbToJpb(JpbToJpb s) throws Exception {
        return s.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb to jpb over the Twisted wire, direct executors, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbToJpbDirect(JpbToJpbDirect s) throws Exception {
        return s.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb to jpb over the Twisted wire, {@code @NonBlocking} add, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbToJpbNonBlocking(JpbToJpbNonBlocking s) throws Exception {
        return s.root.<Integer>callRemote("add", a, b).get();
    }

    /** jpb client to a Python Twisted server, calls per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public int throughputJpbToPython(JpbToPython s) throws Exception {
        return s.root.<Integer>callRemote("add", a, b).get();
    }
}
