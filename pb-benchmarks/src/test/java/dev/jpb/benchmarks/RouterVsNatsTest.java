package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router side of {@link RouterVsNats} (the NATS side needs nats-server; run.sh only). */
@Timeout(60)
class RouterVsNatsTest {
    @Test
    void routerDeliversEachRoundToEverySubscriberAndAnswersCalls() throws Exception {
        RouterVsNats bench = new RouterVsNats();
        RouterVsNats.RouterState state = new RouterVsNats.RouterState();
        state.start();
        try {
            for (int round = 0; round < 3; round++) {
                bench.fanOutRouter(state);
            }
            assertThat(bench.callRouter(state)).isEqualTo(42);
        } finally {
            state.stop();
        }
    }
}
