package dev.jpb.benchmarks;

import dev.jpb.internal.metrics.BrokerMetrics;
import dev.jpb.internal.metrics.ConnectionMetrics;
import dev.jpb.internal.metrics.MeteredCall;
import dev.jpb.internal.metrics.MicrometerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What each meter update on a call's path costs, alone (ns per operation): the clock reads,
 * a counter, an atomic, the call-latency timer with and without its percentile histogram
 * (Prometheus and {@link SimpleMeterRegistry}), and one end's whole per-call metrics
 * ({@code callStarted} to {@code end}, as {@code InboundCalls} and {@code PbFuture} run them).
 * Run with {@code -t 2} as well: the atomics and the histogram's bucket are shared by the
 * threads that end calls. Not a workload of issue 3; it explains {@code W2Pipelined.jpbMetrics}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class MeterCost {
    private static final long LATENCY = 400_000; // W2's: 128 calls in flight at ~330k calls/s

    private Counter counter;
    private Timer prometheusHistogram;
    private Timer prometheusHistogramBuffer1;
    private Timer prometheusPlain;
    private Timer prometheusHistogramFrom10us;
    private Timer simpleHistogram;
    private Timer simpleHistogramBuffer1;
    private final AtomicLong atomic = new AtomicLong();
    private final LongAdder adder = new LongAdder();
    private ConnectionMetrics prometheusEnd;
    private ConnectionMetrics simpleEnd;

    /** Registers the meters, as jpb registers its call meters. */
    @Setup
    public void setUp() {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        counter = Counter.builder("c").register(prometheus);
        prometheusHistogram = Timer.builder("t").publishPercentileHistogram()
                .register(prometheus);
        prometheusHistogramBuffer1 = Timer.builder("t1").publishPercentileHistogram()
                .distributionStatisticBufferLength(1).register(prometheus);
        prometheusPlain = Timer.builder("t0").register(prometheus);
        prometheusHistogramFrom10us = Timer.builder("t10").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000)).register(prometheus);
        simpleHistogram = Timer.builder("t").publishPercentileHistogram().register(simple);
        simpleHistogramBuffer1 = Timer.builder("t1").publishPercentileHistogram()
                .distributionStatisticBufferLength(1).register(simple);
        prometheusEnd = end(MicrometerMetrics.of(prometheus, "server"));
        simpleEnd = end(MicrometerMetrics.of(simple, "server"));
    }

    private static ConnectionMetrics end(BrokerMetrics metrics) {
        return metrics.opened(null, null);
    }

    /** {@code System.nanoTime()}: a call's start and end. */
    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** {@code System.currentTimeMillis()}: Micrometer's wall clock, read twice per record. */
    @Benchmark
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    /** A Prometheus counter. */
    @Benchmark
    public void counterIncrement() {
        counter.increment();
    }

    /** An {@code AtomicLong}, as the former in-flight count (up at the start, down at the end). */
    @Benchmark
    public long atomicIncrement() {
        return atomic.incrementAndGet();
    }

    /** A {@code LongAdder}. */
    @Benchmark
    public void adderIncrement() {
        adder.increment();
    }

    /** Prometheus timer with a percentile histogram (the default buffer length, 3). */
    @Benchmark
    public void prometheusTimerHistogram() {
        prometheusHistogram.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** The same with {@code distributionStatisticBufferLength(1)}. */
    @Benchmark
    public void prometheusTimerHistogramBuffer1() {
        prometheusHistogramBuffer1.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** The same with buckets from 10 µs (the default's first is 1 ms). */
    @Benchmark
    public void prometheusTimerHistogramFrom10us() {
        prometheusHistogramFrom10us.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** Prometheus timer, no histogram. */
    @Benchmark
    public void prometheusTimerPlain() {
        prometheusPlain.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** {@link SimpleMeterRegistry} timer with a percentile histogram. */
    @Benchmark
    public void simpleTimerHistogram() {
        simpleHistogram.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** The same with {@code distributionStatisticBufferLength(1)}. */
    @Benchmark
    public void simpleTimerHistogramBuffer1() {
        simpleHistogramBuffer1.record(LATENCY, TimeUnit.NANOSECONDS);
    }

    /** One end's whole metrics of one answered call, Prometheus. */
    @Benchmark
    public void callPrometheus() {
        MeteredCall call = prometheusEnd.callStarted("add", true);
        call.end(null);
    }

    /** One end's whole metrics of one answered call, {@link SimpleMeterRegistry}. */
    @Benchmark
    public void callSimple() {
        MeteredCall call = simpleEnd.callStarted("add", true);
        call.end(null);
    }
}
