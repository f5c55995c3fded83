package dev.jpb.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** jpb's own call-latency record: count, sum, cumulative buckets and their {@code le} tags. */
@Timeout(10)
class LatenciesTest {
    private final Latencies latencies = new Latencies();

    @Test
    void bucketsRunFrom10MicrosecondsTo50SecondsInStepsOf1And2Point5And5() {
        assertThat(Latencies.BOUNDS).startsWith(10_000L, 25_000L, 50_000L, 100_000L)
                .endsWith(10_000_000_000L, 25_000_000_000L, 50_000_000_000L).isSorted();
        assertThat(Latencies.le(0)).isEqualTo("0.00001");
        assertThat(Latencies.le(1)).isEqualTo("0.000025");
        assertThat(Latencies.le(12)).isEqualTo("0.1");
        assertThat(Latencies.le(Latencies.BOUNDS.length - 1)).isEqualTo("50");
        assertThat(Latencies.le(Latencies.BOUNDS.length)).isEqualTo("+Inf");
    }

    @Test
    void aCallCountsInTheFirstBucketAtLeastAsLongAndInAllAfterIt() {
        latencies.record(10_000); // exactly the first bound: in it
        latencies.record(10_001); // just past it: in the second
        latencies.record(-5); // cannot happen; counted as 0
        latencies.record(100_000_000_000L); // 100 s: past the last bound

        assertThat(latencies.count()).isEqualTo(4);
        assertThat(latencies.totalNanos()).isEqualTo(10_000 + 10_001 + 100_000_000_000.0);
        assertThat(latencies.atMost(0)).isEqualTo(2);
        assertThat(latencies.atMost(1)).isEqualTo(3);
        assertThat(latencies.atMost(Latencies.BOUNDS.length - 1)).isEqualTo(3);
        assertThat(latencies.atMost(Latencies.BOUNDS.length)).isEqualTo(4);
    }
}
