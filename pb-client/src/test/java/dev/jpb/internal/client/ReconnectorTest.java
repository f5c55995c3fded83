package dev.jpb.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReconnectorTest {
    @Test
    void theDelayCapDoublesUpToTheMax() {
        long ms = 1_000_000;
        assertThat(Reconnector.cap(100 * ms, 1000 * ms, 0)).isEqualTo(100 * ms);
        assertThat(Reconnector.cap(100 * ms, 1000 * ms, 1)).isEqualTo(200 * ms);
        assertThat(Reconnector.cap(100 * ms, 1000 * ms, 3)).isEqualTo(800 * ms);
        assertThat(Reconnector.cap(100 * ms, 1000 * ms, 4)).isEqualTo(1000 * ms);
        assertThat(Reconnector.cap(100 * ms, 1000 * ms, 10_000)).isEqualTo(1000 * ms);
        assertThat(Reconnector.cap(Long.MAX_VALUE / 2, Long.MAX_VALUE, 5))
                .isEqualTo(Long.MAX_VALUE);
    }
}
