package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class W9LabFirstPaintTest {
    @Test
    void aThinClientPaintsTheWholeTableAndTheRelayCountsTheBytes() throws Exception {
        W9LabFirstPaint.headless();
        List<W9LabFirstPaint.Paint> paints = W9LabFirstPaint.run(300, 1);

        assertThat(paints).singleElement().satisfies(p -> {
            assertThat(p.millis()).isPositive();
            // 300 rows of about 50 bytes, plus the pushed bundle and the TLS handshake
            assertThat(p.bytesToClient()).isGreaterThan(300 * 30);
            assertThat(p.bytesToServer()).isPositive();
        });
    }
}
