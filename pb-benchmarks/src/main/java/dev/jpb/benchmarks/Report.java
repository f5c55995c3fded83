package dev.jpb.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Reads JMH JSON result files (one per run; {@code run.sh} makes one per fork round) and prints
 * tables: each workload's jpb score, its baseline, their ratio, the target and the verdict.
 * The first table has the targets of issue 3, the second those of issue 18 (round 2: Java RMI,
 * W2's callback-window form, allocation per call). Runs whose fork had
 * {@code -Djpb.bench.twoJvm=true} (server in a child JVM, {@code run.sh --two-jvm}) are kept
 * apart and get a round-2 table of their own, so one call can report both modes. A score is
 * the median over the files that have it.
 *
 * <p>Usage: {@code Report [--quick] result.json...}
 */
public final class Report {
    private static final String PACKAGE = "dev.jpb.benchmarks.";
    private static final String W7 = "W7Connections.connectAll";

    private final Map<String, List<Map<String, Object>>> results = new LinkedHashMap<>();
    private final List<String> jvms = new ArrayList<>();

    private Report() {
    }

    /** Prints the tables for the given result files. */
    public static void main(String[] args) throws IOException {
        boolean quick = false;
        Report oneJvm = new Report();
        Report twoJvms = new Report();
        int files = 0;
        for (String arg : args) {
            if (arg.equals("--quick")) {
                quick = true;
            } else {
                read(Path.of(arg), oneJvm, twoJvms);
                files++;
            }
        }
        if (files == 0) {
            System.err.println("usage: Report [--quick] result.json...");
            System.exit(2);
        }
        if (!oneJvm.results.isEmpty() || twoJvms.results.isEmpty()) {
            oneJvm.print(System.out, quick);
            oneJvm.printRound2(System.out, quick, false);
        }
        if (!twoJvms.results.isEmpty()) {
            twoJvms.printRound2(System.out, quick, true);
        }
    }

    /**
     * Reads one JMH result file: each run goes to {@code twoJvms} if its fork ran with
     * {@code -Djpb.bench.twoJvm=true} (the server in a child JVM), else to {@code oneJvm}.
     */
    @SuppressWarnings("unchecked")
    private static void read(Path file, Report oneJvm, Report twoJvms) throws IOException {
        Object parsed = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        for (Object o : (List<Object>) parsed) {
            Map<String, Object> run = (Map<String, Object>) o;
            Object jvmArgs = run.get("jvmArgs");
            boolean two = jvmArgs instanceof List<?> list
                    && list.contains("-D" + ServerProcess.TWO_JVM + "=true");
            (two ? twoJvms : oneJvm).add(run);
        }
    }

    private void add(Map<String, Object> run) {
        String name = ((String) run.get("benchmark")).replace(PACKAGE, "");
        if (name.startsWith("RouterCluster.") && run.get("params") instanceof Map<?, ?> ps) {
            name += ":nodes=" + ps.get("nodes"); // both node counts in one run
        }
        results.computeIfAbsent(name + "/" + run.get("mode"), k -> new ArrayList<>()).add(run);
        String jvm = run.get("vmName") + " " + run.get("jdkVersion");
        if (!jvms.contains(jvm)) {
            jvms.add(jvm);
        }
    }

    /**
     * Prints the table of issue 18 (performance, round 2): jpb with its defaults against Java
     * RMI, the floor and grpc-java, with that targets.
     */
    private void printRound2(PrintStream out, boolean quick, boolean twoJvms) {
        String w1 = "W1Latency.latency";
        String w3 = "W3Payload.latency";
        String w4 = "W4Callback.latency";
        String w2 = "W2Pipelined.";
        List<Row> rows = List.of(
                new Row("W1 latency p50", "us", percentile(w1 + "Jpb/sample", "50.0"),
                        percentile(w1 + "Rmi/sample", "50.0"), "rmi", Target.atMost(1.0)),
                new Row("W1 latency p50", "us", percentile(w1 + "Jpb/sample", "50.0"),
                        percentile(w1 + "Floor/sample", "50.0"), "floor", Target.atMost(1.0)),
                new Row("W1 p50, @NonBlocking", "us",
                        percentile(w1 + "JpbNonBlocking/sample", "50.0"),
                        percentile(w1 + "Rmi/sample", "50.0"), "rmi", Target.NONE),
                new Row("W1 p50, direct exec", "us", percentile(w1 + "JpbDirect/sample", "50.0"),
                        percentile(w1 + "Rmi/sample", "50.0"), "rmi", Target.NONE),
                new Row("W1 latency p99", "us", percentile(w1 + "Jpb/sample", "99.0"),
                        percentile(w1 + "Rmi/sample", "99.0"), "rmi", Target.NONE),
                new Row("W4 callback p50", "us", percentile(w4 + "Jpb/sample", "50.0"),
                        percentile(w4 + "Rmi/sample", "50.0"), "rmi", Target.atMost(1.1)),
                new Row("W4 callback p50", "us", percentile(w4 + "Jpb/sample", "50.0"),
                        percentile(w4 + "Floor/sample", "50.0"), "floor", Target.NONE),
                new Row("W4 p50, @NonBlocking", "us",
                        percentile(w4 + "JpbNonBlocking/sample", "50.0"),
                        percentile(w4 + "Rmi/sample", "50.0"), "rmi", Target.NONE),
                new Row("W2 cb window (128)", "calls/s", score(w2 + "windowJpb/thrpt"),
                        score(w2 + "windowFloor/thrpt"), "floor", Target.atLeast(0.7)),
                new Row("W2 cb window (128)", "calls/s", score(w2 + "windowJpb/thrpt"),
                        score(w2 + "windowGrpc/thrpt"), "grpc", Target.atLeast(2.5)),
                new Row("W2 cb window (128)", "calls/s", score(w2 + "windowJpb/thrpt"),
                        score(w2 + "windowGrpcDefault/thrpt"), "grpc-def", Target.NONE),
                new Row("W2 cb, @NonBlocking", "calls/s",
                        score(w2 + "windowJpbNonBlocking/thrpt"),
                        score(w2 + "windowFloor/thrpt"), "floor", Target.NONE),
                new Row("W2 cb, direct exec", "calls/s", score(w2 + "windowJpbDirect/thrpt"),
                        score(w2 + "windowFloor/thrpt"), "floor", Target.NONE),
                new Row("W2 pipelined (128)", "calls/s", score(w2 + "jpb/thrpt"),
                        score(w2 + "floor/thrpt"), "floor", Target.NONE),
                new Row("W2 pipelined (128)", "calls/s", score(w2 + "jpb/thrpt"),
                        score(w2 + "grpc/thrpt"), "grpc", Target.NONE),
                new Row("W3 16 KiB echo p50", "us", percentile(w3 + "Jpb/sample", "50.0"),
                        percentile(w3 + "Floor/sample", "50.0"), "floor", Target.atMost(1.0)),
                new Row("W3 16 KiB echo p50", "us", percentile(w3 + "Jpb/sample", "50.0"),
                        percentile(w3 + "Rmi/sample", "50.0"), "rmi", Target.NONE),
                new Row("W1 alloc per call", "B/op", allocation(w1 + "Jpb/sample"),
                        allocation(w1 + "Floor/sample"), "floor", Target.atMost(1.3)),
                new Row("W1 alloc per call", "B/op", allocation(w1 + "Jpb/sample"),
                        allocation(w1 + "Rmi/sample"), "rmi", Target.NONE),
                new Row("W2 alloc per call", "B/op", allocation(w2 + "jpb/thrpt"),
                        allocation(w2 + "floor/thrpt"), "floor", Target.atMost(1.3)),
                new Row("W2 cb alloc/call", "B/op", allocation(w2 + "windowJpb/thrpt"),
                        allocation(w2 + "windowFloor/thrpt"), "floor", Target.atMost(1.3)));
        out.println();
        printTable(out, "issue 18 (round 2), " + (twoJvms ? "server and client in SEPARATE JVMs"
                : "server and client in ONE JVM") + ": ", quick, rows);
        out.println("ratio = jpb / baseline, jpb with its defaults (default executors, methods"
                + " not marked) unless the row says otherwise; medians over forks.");
        out.println("rmi: Java RMI, an exported object on an ephemeral loopback port, no"
                + " registry; W4: the client exports a callback object the server calls.");
        out.println("W2 cb window: " + W2Pipelined.CallbackWindow.CALLS + " calls per"
                + " operation, 128 in flight, each next call sent by a completion callback"
                + " (whenComplete); grpc = directExecutor, grpc-def = gRPC's default executors.");
        out.println(twoJvms
                ? "alloc: JMH -prof gc in the client's JVM only (the server runs in a child"
                        + " JVM): bytes the client side allocates per call. W1 alloc from the"
                        + " latency (SampleTime) runs."
                : "alloc: JMH -prof gc, bytes allocated per call by the whole JVM (client and"
                        + " server together). W1 alloc from the latency (SampleTime) runs.");
    }

    private void print(PrintStream out, boolean quick) {
        int[] bytes = W5Copy.sizes();
        String w1 = "W1Latency.latency";
        String w3 = "W3Payload.";
        String w4 = "W4Callback.";
        List<Row> rows = List.of(
                new Row("W1 latency p50", "us", percentile(w1 + "Jpb/sample", "50.0"),
                        percentile(w1 + "Floor/sample", "50.0"), "floor", Target.atMost(1.15)),
                new Row("W1 p50, @NonBlocking", "us",
                        percentile(w1 + "JpbNonBlocking/sample", "50.0"),
                        percentile(w1 + "Floor/sample", "50.0"), "floor", Target.atMost(1.15)),
                new Row("W1 p50, direct exec", "us", percentile(w1 + "JpbDirect/sample", "50.0"),
                        percentile(w1 + "Floor/sample", "50.0"), "floor", Target.NONE),
                new Row("W1 latency p99", "us", percentile(w1 + "Jpb/sample", "99.0"),
                        percentile(w1 + "Floor/sample", "99.0"), "floor", Target.NONE),
                new Row("W1 latency p99.9", "us", percentile(w1 + "Jpb/sample", "99.9"),
                        percentile(w1 + "Floor/sample", "99.9"), "floor", Target.NONE),
                new Row("W1 p50, withTimeout", "us",
                        percentile(w1 + "JpbWithTimeout/sample", "50.0"),
                        percentile(w1 + "Jpb/sample", "50.0"), "jpb", Target.atMost(1.05)),
                new Row("W1 seq, withTimeout", "calls/s",
                        score("W1Latency.throughputJpbWithTimeout/thrpt"),
                        score("W1Latency.throughputJpb/thrpt"), "jpb", Target.NONE),
                new Row("W1 sequential", "calls/s", score("W1Latency.throughputJpb/thrpt"),
                        score("W1Latency.throughputFloor/thrpt"), "floor", Target.NONE),
                new Row("W1 seq, direct exec", "calls/s",
                        score("W1Latency.throughputJpbDirect/thrpt"),
                        score("W1Latency.throughputFloor/thrpt"), "floor", Target.NONE),
                new Row("W2 pipelined (128)", "calls/s", score("W2Pipelined.jpb/thrpt"),
                        score("W2Pipelined.floor/thrpt"), "floor", Target.atLeast(0.5)),
                new Row("W2, direct exec", "calls/s", score("W2Pipelined.jpbDirect/thrpt"),
                        score("W2Pipelined.floor/thrpt"), "floor", Target.NONE),
                new Row("W1 p50, TLS", "us", percentile(w1 + "JpbTls/sample", "50.0"),
                        percentile(w1 + "FloorTls/sample", "50.0"), "floor TLS",
                        Target.atMost(1.15)),
                new Row("W2 pipelined, TLS", "calls/s", score("W2Pipelined.jpbTls/thrpt"),
                        score("W2Pipelined.floorTls/thrpt"), "floor TLS", Target.atLeast(0.5)),
                new Row("W1 p50, metrics on", "us", percentile(w1 + "JpbMetrics/sample", "50.0"),
                        percentile(w1 + "Jpb/sample", "50.0"), "jpb", Target.atMost(1.05)),
                new Row("W1 seq, metrics on", "calls/s",
                        score("W1Latency.throughputJpbMetrics/thrpt"),
                        score("W1Latency.throughputJpb/thrpt"), "jpb", Target.atLeast(0.95)),
                new Row("W2, metrics on", "calls/s",
                        score("W2Pipelined.jpbMetrics/thrpt"), score("W2Pipelined.jpb/thrpt"),
                        "jpb", Target.atLeast(0.95)),
                // jpb's internal switch jpb.internal.encodeOnCaller (docs/performance.md)
                new Row("W1 p50, caller encodes", "us",
                        percentile(w1 + "JpbEncodeOnCaller/sample", "50.0"),
                        percentile(w1 + "Jpb/sample", "50.0"), "jpb", Target.NONE),
                new Row("W2, caller encodes", "calls/s",
                        score("W2Pipelined.jpbEncodeOnCaller/thrpt"),
                        score("W2Pipelined.jpb/thrpt"), "jpb", Target.NONE),
                new Row("W3 p50, caller encodes", "us",
                        percentile(w3 + "latencyJpbEncodeOnCaller/sample", "50.0"),
                        percentile(w3 + "latencyJpb/sample", "50.0"), "jpb", Target.NONE),
                new Row("W1 alloc, caller enc.", "B/op",
                        allocation(w1 + "JpbEncodeOnCaller/sample"),
                        allocation(w1 + "Jpb/sample"), "jpb", Target.NONE),
                new Row("W2 alloc, caller enc.", "B/op",
                        allocation("W2Pipelined.jpbEncodeOnCaller/thrpt"),
                        allocation("W2Pipelined.jpb/thrpt"), "jpb", Target.NONE),
                new Row("W3 alloc, caller enc.", "B/op",
                        allocation(w3 + "latencyJpbEncodeOnCaller/sample"),
                        allocation(w3 + "latencyJpb/sample"), "jpb", Target.NONE),
                new Row("W1 alloc per call", "B/op",
                        allocation("W1Latency.throughputJpb/thrpt"),
                        allocation("W1Latency.throughputFloor/thrpt"), "floor", Target.NONE),
                new Row("W2 alloc per call", "B/op", allocation("W2Pipelined.jpb/thrpt"),
                        allocation("W2Pipelined.floor/thrpt"), "floor", Target.NONE),
                new Row("W1 latency p50", "us", percentile(w1 + "Jpb/sample", "50.0"),
                        percentile(w1 + "Grpc/sample", "50.0"), "grpc", Target.NONE),
                new Row("W2 pipelined (128)", "calls/s", score("W2Pipelined.jpb/thrpt"),
                        score("W2Pipelined.grpc/thrpt"), "grpc", Target.atLeast(4)),
                new Row("W3 16 KiB echo p50", "us", percentile(w3 + "latencyJpb/sample", "50.0"),
                        percentile(w3 + "latencyFloor/sample", "50.0"), "floor",
                        Target.atMost(1.3)),
                new Row("W3 16 KiB echo p50", "us", percentile(w3 + "latencyJpb/sample", "50.0"),
                        percentile(w3 + "latencyGrpc/sample", "50.0"), "grpc", Target.NONE),
                new Row("W3 p50, @NonBlocking", "us",
                        percentile(w3 + "latencyJpbNonBlocking/sample", "50.0"),
                        percentile(w3 + "latencyFloor/sample", "50.0"), "floor",
                        Target.atMost(1.3)),
                new Row("W3 p50, direct exec", "us",
                        percentile(w3 + "latencyJpbDirect/sample", "50.0"),
                        percentile(w3 + "latencyFloor/sample", "50.0"), "floor", Target.NONE),
                new Row("W3 echoed", "MB/s", megabytes(w3 + "throughputJpb/thrpt"),
                        megabytes(w3 + "throughputFloor/thrpt"), "floor", Target.NONE),
                new Row("W3 echoed", "MB/s", megabytes(w3 + "throughputJpb/thrpt"),
                        megabytes(w3 + "throughputGrpc/thrpt"), "grpc", Target.NONE),
                new Row("W4 callback p50", "us", percentile(w4 + "latencyJpb/sample", "50.0"),
                        percentile(w4 + "latencyFloor/sample", "50.0"), "floor",
                        Target.atMost(1.25)),
                new Row("W4 callback p50", "us", percentile(w4 + "latencyJpb/sample", "50.0"),
                        percentile(w4 + "latencyGrpc/sample", "50.0"), "grpc", Target.NONE),
                new Row("W4 p50, @NonBlocking", "us",
                        percentile(w4 + "latencyJpbNonBlocking/sample", "50.0"),
                        percentile(w4 + "latencyFloor/sample", "50.0"), "floor",
                        Target.atMost(1.25)),
                new Row("W4 p50, direct exec", "us",
                        percentile(w4 + "latencyJpbDirect/sample", "50.0"),
                        percentile(w4 + "latencyFloor/sample", "50.0"), "floor", Target.NONE),
                new Row("W5 encode+decode", "ns/op", score("W5Copy.jpb/avgt"),
                        score("W5Copy.kryo/avgt"), "kryo", Target.atMost(1.5)),
                new Row("W5 bytes per copy", "bytes", bytes[0], bytes[1], "kryo",
                        Target.atMost(1.2)),
                new Row("W5 encode+decode", "ns/op", score("W5Copy.jpb/avgt"),
                        score("W5Copy.kryoWithReferences/avgt"), "kryo+ref", Target.NONE),
                new Row("W5 bytes per copy", "bytes", bytes[0], bytes[2], "kryo+ref",
                        Target.NONE),
                new Row("W5 encode+decode", "ns/op", score("W5Copy.jpb/avgt"),
                        score("W5Copy.javaSerialization/avgt"), "java.io", Target.NONE),
                new Row("W5 bytes per copy", "bytes", bytes[0], bytes[3], "java.io",
                        Target.NONE),
                new Row("W6 fan-out (" + W6FanOut.CLIENTS + ")", "deliv/s",
                        score("W6FanOut.jpb/thrpt"), score("W6FanOut.floor/thrpt"), "floor",
                        Target.NONE),
                new Row("W9 cache fan-out (" + W9CacheFanOut.CLIENTS + ")", "updates/s",
                        score("W9CacheFanOut.jpb/thrpt"), score("W9CacheFanOut.floor/thrpt"),
                        "floor", Target.atLeast(0.8)),
                new Row("W9 cache, @NonBlocking", "updates/s",
                        score("W9CacheFanOut.jpbNonBlocking/thrpt"),
                        score("W9CacheFanOut.floor/thrpt"), "floor", Target.NONE),
                new Row("W9 floor, counted on an executor", "updates/s",
                        score("W9CacheFanOut.floorHandOff/thrpt"),
                        score("W9CacheFanOut.floor/thrpt"), "floor", Target.NONE),
                new Row("W9 via callbacks", "deliv/s",
                        score("W9CacheFanOut.references/thrpt"),
                        score("W9CacheFanOut.floor/thrpt"), "floor", Target.NONE),
                Row.alone("W7 heap/conn " + w7Count(), "KiB", w7HeapPerConnection(),
                        Target.atMostValue(16, "KiB")),
                Row.alone("W7 connect " + w7Count(), "ms", score(W7 + "/ss"), Target.NONE),
                new Row("W9 login p50, TLS", "ms",
                        percentile("W9Login.loginTls/sample", "50.0"),
                        percentile("W9Login.connectTls/sample", "50.0"), "connect TLS",
                        Target.NONE),
                new Row("R fan-out (" + RouterVsNats.SUBSCRIBERS + ")", "events/s",
                        score("RouterVsNats.fanOutRouter/thrpt") * RouterVsNats.SUBSCRIBERS,
                        score("RouterVsNats.fanOutNats/thrpt") * RouterVsNats.SUBSCRIBERS,
                        "nats", Target.atLeast(1)),
                new Row("R call p50", "us", percentile("RouterVsNats.callRouter/sample", "50.0"),
                        percentile("RouterVsNats.callNats/sample", "50.0"), "nats",
                        Target.atMost(1.5)),
                new Row("C fan-out (" + RouterCluster.SUBSCRIBERS + ")", "events/s",
                        cluster("fanOut", 3) * RouterCluster.SUBSCRIBERS,
                        cluster("fanOut", 1) * RouterCluster.SUBSCRIBERS, "1 node",
                        Target.NONE),
                new Row("C fan-out window", "events/s", cluster("fanOutWindow", 3)
                        * RouterCluster.SUBSCRIBERS * RouterCluster.WINDOW,
                        cluster("fanOutWindow", 1) * RouterCluster.SUBSCRIBERS
                        * RouterCluster.WINDOW, "1 node", Target.NONE),
                new Row("C call p50, x-node", "us",
                        percentile("RouterCluster.call:nodes=3/sample", "50.0"),
                        percentile("RouterCluster.call:nodes=1/sample", "50.0"), "1 node",
                        Target.NONE),
                new Row("W9 unknown user p50", "ms",
                        percentile("W9Login.loginUnknownUserTls/sample", "50.0"),
                        percentile("W9Login.loginWrongPasswordTls/sample", "50.0"), "wrong pwd",
                        Target.NONE));

        out.println();
        printTable(out, "jpb benchmarks: ", quick, rows);
        out.println("ratio = jpb / baseline. Scores are medians over forks; W5 bytes are exact"
                + " (jpb's once type names have crossed).");
        out.println("alloc: JMH -prof gc, bytes allocated per call by the whole JVM (client,"
                + " server and caller together).");
        out.println("'@NonBlocking': default executors, the remote methods marked @NonBlocking"
                + " (run on the I/O thread when the connection is idle); 'direct exec': jpb with"
                + " executor(Runnable::run) on both ends; plain rows: unmarked methods, run on"
                + " the default executors. 'kryo+ref': Kryo with reference tracking on, as jpb"
                + " has it.");
        out.println("W6: one-way deliveries per second from the server to its callbacks on "
                + W6FanOut.CLIENTS + " clients. W7: idle clients in a child JVM; heap/conn is"
                + " what the server's JVM retains per connection after full GCs (target in KiB,"
                + " no baseline); connect is the time to connect them all. W9: a new TLS"
                + " connection and a SCRAM-SHA-256 login (4096 iterations) against the same"
                + " connection without the login; 'unknown user': the same login failing for a"
                + " name that does not exist, against a wrong password (ratio about 1: the time"
                + " does not tell which names exist).");
        out.println("grpc: grpc-java, unary calls over grpc-netty-shaded, directExecutor on both"
                + " ends; W4's callback goes to a gRPC server the client hosts (a second"
                + " connection).");
        out.println("R: the router (1 publisher, " + RouterVsNats.SUBSCRIBERS + " jpb"
                + " subscribers, one event in flight; a routed call) against nats-server doing"
                + " the same. C: " + RouterCluster.SUBSCRIBERS + " subscribers over 3 router"
                + " nodes on one nats-server against 1 router; 'window': "
                + RouterCluster.WINDOW + " events in flight, the saturated rate; x-node: the"
                + " callee on another node than the caller.");
        out.println("W3 MB/s: payload bytes echoed per second one way, calls/s x "
                + W3Payload.BYTES + " / 1e6 (each call carries them there and back).");
    }

    /** Prints a table's two header lines (title, run, forks; JVMs, CPUs, time), then its rows. */
    private void printTable(PrintStream out, String title, boolean quick, List<Row> rows) {
        out.printf("%s%s run, %s%n", title,
                quick ? "QUICK (1 fork, short iterations: indicative only)" : "full",
                forksSummary());
        out.printf("%s; %d CPUs: %s; %s%n", String.join(", ", jvms),
                Runtime.getRuntime().availableProcessors(), cpuModel(),
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        printRows(out, rows);
    }

    private static void printRows(PrintStream out, List<Row> rows) {
        String format = "%-20s %-8s %12s %12s %-8s %7s %9s  %s%n";
        out.printf(format, "workload", "unit", "jpb", "baseline", "(which)", "ratio", "target",
                "verdict");
        out.printf(format, "-".repeat(20), "-".repeat(8), "-".repeat(12), "-".repeat(12),
                "-".repeat(8), "-".repeat(7), "-".repeat(9), "-------");
        for (Row r : rows) {
            if (r.which == null) {
                out.printf(format, r.workload, r.unit, number(r.jpb), "-", "-", "-",
                        r.target.text(), r.target.verdict(r.jpb));
                continue;
            }
            double ratio = r.jpb / r.baseline;
            out.printf(format, r.workload, r.unit, number(r.jpb), number(r.baseline), r.which,
                    Double.isNaN(ratio) ? "n/a" : String.format(Locale.ROOT, "%.2f", ratio),
                    r.target.text(), r.target.verdict(ratio));
        }
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the model is unknown
        }
        return "unknown CPU model";
    }

    private String forksSummary() {
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (List<Map<String, Object>> runs : results.values()) {
            int forks = 0;
            for (Map<String, Object> run : runs) {
                forks += ((Number) run.get("forks")).intValue();
            }
            min = Math.min(min, forks);
            max = Math.max(max, forks);
        }
        return min == max ? min + " fork(s) per benchmark"
                : min + "-" + max + " forks per benchmark";
    }

    @SuppressWarnings("unchecked")
    private double percentile(String key, String p) {
        return median(key, run -> {
            Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
            return number(((Map<String, Object>) metric.get("scorePercentiles")).get(p));
        });
    }

    /** The W7 connection count, from the benchmark's parameter, e.g. "10,000". */
    @SuppressWarnings("unchecked")
    private String w7Count() {
        List<Map<String, Object>> runs = results.get(W7 + "/ss");
        Object params = runs == null || runs.isEmpty() ? null : runs.get(0).get("params");
        Object count = params instanceof Map<?, ?> m ? m.get("connections") : null;
        return count == null ? "all"
                : String.format(Locale.ROOT, "%,d", Long.parseLong(count.toString()));
    }

    /** Retained heap per connection in KiB: the ratio of W7's two secondary metrics. */
    private double w7HeapPerConnection() {
        return median(W7 + "/ss", run -> secondary(run, "retainedHeapBytes")
                / secondary(run, "heldConnections") / 1024);
    }

    private static double secondary(Map<String, Object> run, String name) {
        Object secondary = run.get("secondaryMetrics");
        Object metric = secondary instanceof Map<?, ?> m ? m.get(name) : null;
        return metric instanceof Map<?, ?> m ? number(m.get("score")) : Double.NaN;
    }

    @SuppressWarnings("unchecked")
    private double score(String key) {
        return median(key, run -> number(((Map<String, Object>) run.get("primaryMetric"))
                .get("score")));
    }

    /** A RouterCluster score ({@code thrpt}) with that many nodes. */
    private double cluster(String benchmark, int nodes) {
        return score("RouterCluster." + benchmark + ":nodes=" + nodes + "/thrpt");
    }

    private double megabytes(String key) {
        return score(key) * W3Payload.BYTES / 1e6;
    }

    private double allocation(String key) {
        return median(key, run -> secondary(run, "gc.alloc.rate.norm"));
    }

    private double median(String key, ToDoubleFunction<Map<String, Object>> f) {
        List<Map<String, Object>> runs = results.get(key);
        if (runs == null || runs.isEmpty()) {
            return Double.NaN;
        }
        double[] values = runs.stream().mapToDouble(f).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double number(Object o) {
        if (o instanceof Number n) {
            return n.doubleValue();
        }
        return Double.NaN; // JMH writes "NaN" when it has no score
    }

    private static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v >= 1000 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.1f" : "%.2f", v);
    }

    /** A table row; {@code which} is null for a row with no baseline (printed as "-"). */
    private record Row(String workload, String unit, double jpb, double baseline, String which,
            Target target) {
        /** A row with no baseline: its target, if any, bounds jpb's value itself. */
        static Row alone(String workload, String unit, double jpb, Target target) {
            return new Row(workload, unit, jpb, Double.NaN, null, target);
        }
    }

    /**
     * A bound on jpb / baseline: at most (times, bytes) or at least (rates); or, with a unit, a
     * bound on jpb's own value in that unit (a row with no baseline).
     */
    private record Target(double bound, boolean atMost, String unit) {
        static final Target NONE = new Target(Double.NaN, true, null);

        static Target atMost(double bound) {
            return new Target(bound, true, null);
        }

        static Target atLeast(double bound) {
            return new Target(bound, false, null);
        }

        static Target atMostValue(double bound, String unit) {
            return new Target(bound, true, unit);
        }

        String text() {
            if (Double.isNaN(bound)) {
                return "-";
            }
            String op = atMost ? "<= " : ">= ";
            return unit != null ? op + number(bound) + " " + unit
                    : op + String.format(Locale.ROOT, "%.2f", bound);
        }

        /** Judges a ratio, or jpb's value for a target with a unit. */
        String verdict(double value) {
            if (Double.isNaN(bound)) {
                return "(info)";
            }
            if (Double.isNaN(value)) {
                return "n/a";
            }
            return (atMost ? value <= bound : value >= bound) ? "ok" : "MISS";
        }
    }
}
