package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class FanOutTest {
    @Test
    void jpbDeliversEachRoundToEveryClient() throws Exception {
        try (JpbFanOut fanOut = new JpbFanOut(20)) {
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll();
            }
        }
    }

    @Test
    void floorDeliversEachRoundToEveryClient() throws Exception {
        try (FloorFanOut fanOut = new FloorFanOut(20)) {
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll();
            }
        }
    }

    @Test
    void floorHandingOffCountsEveryRoundOnTheExecutor() throws Exception {
        try (FloorFanOut fanOut = new FloorFanOut(20, true)) {
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll();
            }
            // the executor's threads, not the event loops' (w6-floor-client-io-...)
            assertThat(fanOut.countedOn().getName()).matches("w6-floor-client-\\d+-\\d+");
        }
    }
}
