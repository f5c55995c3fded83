package dev.jpb.benchmarks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CacheFanOutTest {
    @Test
    void everyCopyAppliesEachRoundsUpdate() throws Exception {
        try (JpbCacheFanOut fanOut = new JpbCacheFanOut(20)) {
            for (int round = 0; round < 3; round++) {
                fanOut.deliverToAll();
            }
        }
    }
}
