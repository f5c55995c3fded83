package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(20)
class ReportTest {
    @TempDir
    Path dir;

    @Test
    void comparesTheMedianOfTheRoundsWithTheTarget() throws Exception {
        Path[] rounds = {
            round(100_000, 60_000), round(110_000, 40_000), round(90_000, 50_000)};
        String table = report(rounds);
        // medians: jpb 50,000 calls/s, floor 100,000: ratio 0.50 meets ">= 0.50"
        assertThat(table).containsPattern(
                "W2 pipelined \\(128\\)\\s+calls/s\\s+50,000\\s+100,000\\s+floor\\s+0\\.50"
                        + "\\s+>= 0\\.50\\s+ok");
        assertThat(table).contains("3 fork(s) per benchmark");
        assertThat(table).containsPattern("W1 latency p50\\s+us\\s+n/a");
    }

    @Test
    void judgesW7HeapPerConnectionAgainstAnAbsoluteTarget() throws Exception {
        Path file = Files.createTempFile(dir, "round", ".json");
        // two measured iterations: JMH sums the counters, 2 x 10,000 connections, 2 x 30 MiB
        Files.writeString(file, "[" + result("W6FanOut.jpb", 25_000) + ","
                + result("W6FanOut.floor", 150_000) + ","
                + w7(2_000, 20_000, 2 * 30 * 1024 * 1024) + "]");
        String table = report(file);
        assertThat(table).containsPattern(
                "W6 fan-out \\(1000\\)\\s+deliv/s\\s+25,000\\s+150,000\\s+floor\\s+0\\.17"
                        + "\\s+-\\s+\\(info\\)");
        // 30 MiB / 10,000 = 3.07 KiB
        assertThat(table).containsPattern(
                "W7 heap/conn 10,000\\s+KiB\\s+3\\.07\\s+-\\s+-\\s+-\\s+<= 16 KiB\\s+ok");
        assertThat(table).containsPattern(
                "W7 connect 10,000\\s+ms\\s+2,000\\s+-\\s+-\\s+-\\s+-\\s+\\(info\\)");
    }

    @Test
    void aW7HeapAboveSixteenKibPerConnectionMisses() throws Exception {
        Path file = Files.createTempFile(dir, "round", ".json");
        Files.writeString(file, "[" + w7(2_000, 10_000, 170 * 1024 * 10_000) + "]");
        assertThat(report(file)).containsPattern("W7 heap/conn 10,000\\s+KiB\\s+170\\s.*MISS");
    }

    private static String w7(double millis, long connections, long heapBytes) {
        return """
                {"benchmark": "dev.jpb.benchmarks.W7Connections.connectAll", "mode": "ss",
                 "forks": 1, "jdkVersion": "17", "vmName": "VM",
                 "params": {"connections": "10000"},
                 "primaryMetric": {"score": %s, "scoreUnit": "ms/op"},
                 "secondaryMetrics": {
                   "heldConnections": {"score": %s, "scoreUnit": "#"},
                   "retainedHeapBytes": {"score": %s, "scoreUnit": "#"}}}
                """.formatted(millis, connections, heapBytes);
    }

    @Test
    void comparesWithGrpcAndTurnsEchoesIntoMegabytes() throws Exception {
        Path file = Files.createTempFile(dir, "round", ".json");
        Files.writeString(file, "[" + result("W2Pipelined.grpc", 20_000) + ","
                + result("W2Pipelined.jpb", 60_000) + ","
                + result("W3Payload.throughputJpb", 1_000) + ","
                + result("W3Payload.throughputFloor", 2_000) + "]");
        String table = report(file);
        // jpb 60,000 calls/s against grpc's 20,000: 3.00, short of ">= 4.00"
        assertThat(table).containsPattern(
                "W2 pipelined \\(128\\)\\s+calls/s\\s+60,000\\s+20,000\\s+grpc\\s+3\\.00"
                        + "\\s+>= 4\\.00\\s+MISS");
        // 1,000 echoes/s of 16,384 bytes: 16.38 MB/s; the floor's 2,000: 32.77 MB/s
        assertThat(table).containsPattern(
                "W3 echoed\\s+MB/s\\s+16\\.38\\s+32\\.77\\s+floor\\s+0\\.50\\s+-\\s+\\(info\\)");
        assertThat(table).containsPattern("W3 echoed\\s+MB/s\\s+16\\.38\\s+n/a\\s+grpc");
        assertThat(table).containsPattern("W4 callback p50\\s+us\\s+n/a\\s+n/a\\s+floor"
                + "\\s+n/a\\s+<= 1\\.25\\s+n/a");
    }

    @Test
    void judgesRoundTwoAgainstRmiTheFloorAndGrpcWithAllocationPerCall() throws Exception {
        Path file = Files.createTempFile(dir, "round", ".json");
        Files.writeString(file, "[" + sample("W1Latency.latencyJpb", 90, 700) + ","
                + sample("W1Latency.latencyRmi", 100, 9_000) + ","
                + sample("W1Latency.latencyFloor", 80, 350) + ","
                + sample("W4Callback.latencyJpb", 120, 0) + ","
                + sample("W4Callback.latencyRmi", 100, 0) + ","
                + result("W2Pipelined.windowJpb", 300_000) + ","
                + result("W2Pipelined.windowFloor", 500_000) + ","
                + result("W2Pipelined.windowGrpc", 100_000) + "]");
        String table = report(file);
        assertThat(table).contains("issue 18 (round 2), server and client in ONE JVM");
        assertThat(table).doesNotContain("SEPARATE JVMs");
        assertThat(table).containsPattern(
                "W1 latency p50\\s+us\\s+90\\s+100\\s+rmi\\s+0\\.90\\s+<= 1\\.00\\s+ok");
        assertThat(table).containsPattern(
                "W1 latency p50\\s+us\\s+90\\s+80\\s+floor\\s+1\\.13\\s+<= 1\\.00"
                        + "\\s+MISS");
        assertThat(table).containsPattern(
                "W4 callback p50\\s+us\\s+120\\s+100\\s+rmi\\s+1\\.20\\s+<= 1\\.10"
                        + "\\s+MISS");
        assertThat(table).containsPattern("W2 cb window \\(128\\)\\s+calls/s\\s+300,000\\s+500,000"
                + "\\s+floor\\s+0\\.60\\s+>= 0\\.70\\s+MISS");
        assertThat(table).containsPattern("W2 cb window \\(128\\)\\s+calls/s\\s+300,000\\s+100,000"
                + "\\s+grpc\\s+3\\.00\\s+>= 2\\.50\\s+ok");
        // 700 B against the floor's 350: 2.00, over 1.30
        assertThat(table).containsPattern("W1 alloc per call\\s+B/op\\s+700\\s+350\\s+floor"
                + "\\s+2\\.00\\s+<= 1\\.30\\s+MISS");
    }

    @Test
    void keepsTwoJvmRunsInATableOfTheirOwn() throws Exception {
        Path oneJvm = Files.createTempFile(dir, "round", ".json");
        Files.writeString(oneJvm, "[" + sample("W1Latency.latencyJpb", 90, 0) + ","
                + sample("W1Latency.latencyRmi", 100, 0) + "]");
        Path twoJvms = Files.createTempFile(dir, "round", ".json");
        String flag = ", \"jvmArgs\": [\"-Djpb.bench.twoJvm=true\"]}";
        Files.writeString(twoJvms, "[" + withFlag(sample("W1Latency.latencyJpb", 50, 0), flag)
                + "," + withFlag(sample("W1Latency.latencyRmi", 40, 0), flag) + "]");
        String table = report(oneJvm, twoJvms);
        int one = table.indexOf("server and client in ONE JVM");
        int two = table.indexOf("server and client in SEPARATE JVMs");
        assertThat(one).isPositive();
        assertThat(two).isGreaterThan(one);
        assertThat(table.substring(one, two)).containsPattern(
                "W1 latency p50\\s+us\\s+90\\s+100\\s+rmi\\s+0\\.90");
        assertThat(table.substring(two)).containsPattern(
                "W1 latency p50\\s+us\\s+50\\s+40\\s+rmi\\s+1\\.25\\s+<= 1\\.00"
                        + "\\s+MISS");
        assertThat(table.substring(two)).contains("client's JVM only");
        // two-JVM runs alone: no in-process tables at all
        String alone = report(twoJvms);
        assertThat(alone).contains("SEPARATE JVMs").doesNotContain("ONE JVM")
                .doesNotContain("W5 encode+decode");
    }

    private static String withFlag(String json, String flag) {
        return json.substring(0, json.lastIndexOf('}')) + flag;
    }

    /** A SampleTime result with its p50 and, if positive, bytes allocated per operation. */
    private static String sample(String name, double p50, double bytesPerOp) {
        String alloc = bytesPerOp <= 0 ? "" : """
                , "secondaryMetrics": {"gc.alloc.rate.norm": {"score": %s, "scoreUnit": "B/op"}}
                """.formatted(bytesPerOp);
        return """
                {"benchmark": "dev.jpb.benchmarks.%s", "mode": "sample", "forks": 1,
                 "jdkVersion": "17", "vmName": "VM",
                 "primaryMetric": {"score": %s, "scoreUnit": "us/op",
                                   "scorePercentiles": {"50.0": %s, "99.0": %s}}%s}
                """.formatted(name, p50, p50, 2 * p50, alloc);
    }

    private Path round(double floor, double jpb) throws Exception {
        Path file = Files.createTempFile(dir, "round", ".json");
        Files.writeString(file, "[" + result("W2Pipelined.floor", floor) + ","
                + result("W2Pipelined.jpb", jpb) + "]");
        return file;
    }

    private static String result(String name, double score) {
        return """
                {"benchmark": "dev.jpb.benchmarks.%s", "mode": "thrpt", "forks": 1,
                 "jdkVersion": "17", "vmName": "VM",
                 "primaryMetric": {"score": %s, "scoreUnit": "ops/s", "scoreError": "NaN",
                                   "scorePercentiles": {"50.0": %s}, "label": "a\\"b\\u0041"}}
                """.formatted(name, score, score);
    }

    private static String report(Path... files) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream previous = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            String[] args = new String[files.length];
            for (int i = 0; i < files.length; i++) {
                args[i] = files[i].toString();
            }
            Report.main(args);
        } finally {
            System.setOut(previous);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
