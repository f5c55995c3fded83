package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CacheFanOutTest {
    @Test
    void everyCopyAppliesEachRoundsUpdate() throws Exception {
        try (JpbCacheFanOut fanOut = new JpbCacheFanOut(20)) {
            assertThat(fanOut.copyCount()).isEqualTo(20);
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll(); // times out unless all 20 copies apply it
            }
        }
    }

    @Test
    void everyNonBlockingCopyAppliesEachRoundsUpdate() throws Exception {
        try (JpbCacheFanOut fanOut = new JpbCacheFanOut(20, true)) {
            assertThat(fanOut.copyCount()).isEqualTo(20);
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll();
            }
        }
    }
}
