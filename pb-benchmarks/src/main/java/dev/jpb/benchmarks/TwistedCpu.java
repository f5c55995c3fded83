package dev.jpb.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import dev.jpb.RemoteReference;
import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import dev.jpb.twisted.TwistedPbClient;
import dev.jpb.twisted.TwistedPbServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * W1 over the Twisted wire measured by CPU time per call rather than by wall-clock rate, which
 * a machine shared with other work distorts: sequential {@code add(20, 22)} for a number of
 * seconds after a warm-up, then the JVM's CPU time (both ends, for jpb to jpb) plus, for jpb to
 * Python, the Python server's ({@code remote_cpu}), divided by the calls; and the same for
 * jpb's own protocol ({@code jpb-own-protocol}), the ceiling of the Twisted rows. Prints
 * {@code name calls/s cpu-us/call} lines. Run by {@code twisted-bench.sh}; usage:
 * {@code java -cp benchmarks.jar dev.jpb.benchmarks.TwistedCpu [SECONDS]}.
 */
public final class TwistedCpu {
    private TwistedCpu() {
    }

    /** Runs both measurements. */
    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        // Twice: the first run also pays for the JIT compiling both ends.
        for (String name : new String[] {"jpb->jpb-warming-up", "jpb->jpb"}) {
            try (TwistedPbServer server = TwistedPbServer.builder().root(new AddRoot())
                    .bind("127.0.0.1", 0).build().start();
                    TwistedPbClient client = TwistedPbClient.connect("127.0.0.1",
                            server.port())) {
                measure(name, client.getRootObject().join(), seconds, false);
            }
        }
        try (TwistedPbServer server = TwistedPbServer.builder().root(new NonBlockingAddRoot())
                .bind("127.0.0.1", 0).build().start();
                TwistedPbClient client = TwistedPbClient.connect("127.0.0.1", server.port())) {
            measure("jpb->jpb-nonblocking", client.getRootObject().join(), seconds, false);
        }
        try (TwistedPbServer server = TwistedPbServer.builder().root(new AddRoot())
                .bind("127.0.0.1", 0).executor(Runnable::run).build().start();
                TwistedPbClient client = TwistedPbClient.builder().executor(Runnable::run)
                        .connect("127.0.0.1", server.port())) {
            measure("jpb->jpb-direct", client.getRootObject().join(), seconds, false);
        }
        // The ceiling's CPU: the same call on jpb's own protocol, default executors.
        try (PbServer server = PbServer.builder().root(new AddRoot()).bind("127.0.0.1", 0)
                .build().start();
                PbClient client = PbClient.connect("127.0.0.1", server.port())) {
            measure("jpb-own-protocol", client.getRootObject().get(10, TimeUnit.SECONDS),
                    seconds, false);
        }
        Process python = TwistedWire.startPython("bench_server.py");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(
                    python.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().substring("PORT ".length()).trim());
            try (TwistedPbClient client = TwistedPbClient.connect("127.0.0.1", port)) {
                measure("jpb->python", client.getRootObject().join(), seconds, true);
            }
        } finally {
            python.destroyForcibly();
        }
    }

    private static void measure(String name, RemoteReference root, double seconds,
            boolean pythonServer) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean();
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < warmEnd) {
            root.<Integer>callRemote("add", 20, 22).get();
        }
        double serverCpu = pythonServer ? root.<Double>callRemote("cpu").get() : 0;
        long cpu = os.getProcessCpuTime();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long calls = 0;
        while (System.nanoTime() < end) {
            int sum = root.<Integer>callRemote("add", 20, 22).get();
            if (sum != 42) {
                throw new IllegalStateException("add returned " + sum);
            }
            calls++;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        if (pythonServer) {
            cpuSeconds += root.<Double>callRemote("cpu").get() - serverCpu;
        }
        System.out.printf("%s %.0f %.1f%n", name, calls / wall, cpuSeconds * 1e6 / calls);
    }
}
