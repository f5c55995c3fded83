package dev.jpb.benchmarks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JpbState} with metrics on at both ends, in one Prometheus registry (which keeps the
 * call timers' percentile histograms, as a production registry would); default executors.
 */
@State(Scope.Benchmark)
public class JpbMetricsState extends JpbState {
    @Override
    MeterRegistry meterRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }
}
