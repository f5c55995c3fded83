package dev.jpb.benchmarks;

import dev.jpb.internal.metrics.BrokerMetrics;
import dev.jpb.internal.metrics.ConnectionMetrics;
import dev.jpb.internal.metrics.MeteredCall;
import dev.jpb.internal.metrics.MicrometerMetrics;
import dev.jpb.internal.metrics.ReadTime;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * What one call's metrics cost at both ends, in this thread's CPU time rather than wall time,
 * so that other processes on a loaded machine do not inflate it (JMH's {@code MeterCost}
 * measures wall time). Calls go in batches as W2 brings them: a batch is sent ({@code
 * callSent}), one read brings it to the callee ({@code callStarted} with the read's {@link
 * ReadTime}), the callee ends them, one read brings their answers back ({@code arrived}), the
 * caller ends them; in one Prometheus registry, as {@code W2Pipelined.jpbMetrics}. Not JMH:
 * {@code java -cp pb-benchmarks/target/benchmarks.jar dev.jpb.benchmarks.MetricsCpu [batch]}
 * (default 8 calls per read) prints ns of CPU per call for 6 runs of 5 million calls, the first
 * two warm-up.
 */
public final class MetricsCpu {
    private MetricsCpu() {
    }

    public static void main(String[] args) {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConnectionMetrics client = end(MicrometerMetrics.of(registry, "client"));
        ConnectionMetrics server = end(MicrometerMetrics.of(registry, "server"));
        ReadTime serverRead = new ReadTime();
        ReadTime clientRead = new ReadTime();
        MeteredCall[] out = new MeteredCall[k];
        MeteredCall[] in = new MeteredCall[k];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int batches = 5_000_000 / k;
        for (int run = 0; run < 6; run++) {
            long cpu = threads.getCurrentThreadCpuTime();
            for (int b = 0; b < batches; b++) {
                for (int j = 0; j < k; j++) {
                    out[j] = client.callSent("add");
                }
                serverRead.frameRead();
                for (int j = 0; j < k; j++) {
                    in[j] = server.callStarted("add", true, serverRead);
                }
                serverRead.readComplete();
                for (int j = 0; j < k; j++) {
                    in[j].end(null);
                }
                clientRead.frameRead();
                for (int j = 0; j < k; j++) {
                    out[j].arrived(clientRead.now());
                }
                clientRead.readComplete();
                for (int j = 0; j < k; j++) {
                    out[j].end(null);
                }
            }
            cpu = threads.getCurrentThreadCpuTime() - cpu;
            System.out.printf("%s %d calls per read: %.1f ns of CPU per call (both ends)%n",
                    run < 2 ? "warm-up" : "run", k, (double) cpu / ((long) batches * k));
        }
    }

    private static ConnectionMetrics end(BrokerMetrics metrics) {
        return metrics.opened(null, null);
    }
}
