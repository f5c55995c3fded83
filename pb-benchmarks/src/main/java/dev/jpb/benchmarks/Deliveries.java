package dev.jpb.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Counts the deliveries of one fan-out round (W6). Only the last delivery of a round wakes
 * the waiting thread, so waiting costs one wake-up per round, not one per delivery.
 */
final class Deliveries {
    private volatile CountDownLatch round = new CountDownLatch(0);

    /** Starts a round of {@code n} deliveries; call before sending them. */
    void expect(int n) {
        round = new CountDownLatch(n);
    }

    /** Counts one delivery; from any thread. */
    void delivered() {
        round.countDown();
    }

    /**
     * Waits for the round's deliveries.
     *
     * @throws TimeoutException if some are still missing after 30 s
     */
    void await(int n) throws InterruptedException, TimeoutException {
        CountDownLatch latch = round;
        if (!latch.await(30, TimeUnit.SECONDS)) {
            throw new TimeoutException(latch.getCount() + " of " + n
                    + " deliveries still missing after 30 s");
        }
    }
}
