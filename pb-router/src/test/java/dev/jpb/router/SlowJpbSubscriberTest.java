package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A jpb subscriber that stops reading, with a queue bound large enough that events go one-way
 * and only one in 32 asks for an answer: the bound holds, the others get every event, and
 * delivery resumes once the subscriber reads again.
 */
@Timeout(60)
class SlowJpbSubscriberTest {
    private static final int BOUND = 64;
    private static final int FLOOD = 300;
    private static final int BURST = 16;

    @Test
    void oneWayEventsStayBoundedAndResumeWhenTheSubscriberReads() throws Exception {
        try (Router router = Router.builder().maxQueuedEvents(BOUND).build();
                RouterEndpoint endpoint = RouterEndpoint.builder(router)
                        .bind("127.0.0.1", 0).build().start();
                RouterClient slow = connect(endpoint);
                RouterClient fast = connect(endpoint);
                RouterClient pub = connect(endpoint)) {
            CountDownLatch stuck = new CountDownLatch(1);
            AtomicInteger slowGot = new AtomicInteger();
            AtomicInteger fastGot = new AtomicInteger();
            slow.subscribe("com.slow.t", e -> {
                slowGot.incrementAndGet();
                try {
                    stuck.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException x) {
                    Thread.currentThread().interrupt();
                }
            }).join();
            fast.subscribe("com.slow.t", e -> fastGot.incrementAndGet()).join();

            // The fast subscriber keeps up: it never lags by more than a burst (16 events,
            // plus the up to 32 since its last answered ask, stays under the bound of 64). A
            // subscriber that falls a whole bound behind is dropped from too, by design, and
            // an unpaced flood from a publisher sharing its CPU can make it do so.
            for (int i = 0; i < FLOOD; i++) {
                pub.publish("com.slow.t", i).join();
                if ((i + 1) % BURST == 0) {
                    int sent = i + 1;
                    await().atMost(Duration.ofSeconds(20)).until(() -> fastGot.get() == sent);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> fastGot.get() == FLOOD);
            long dropped = router.droppedEvents(slow.sessionId());
            assertThat(dropped).as("at most %s events wait for the stuck subscriber", BOUND)
                    .isGreaterThanOrEqualTo(FLOOD - BOUND);
            assertThat(router.droppedEvents(fast.sessionId())).isZero();

            stuck.countDown();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> slowGot.get() == FLOOD - dropped);
            for (int i = 0; i < 2 * BOUND; i++) { // more than the bound: the queue drained
                int before = slowGot.get();
                pub.publish("com.slow.t", i).join();
                await().atMost(Duration.ofSeconds(10)).until(() -> slowGot.get() == before + 1);
            }
            assertThat(router.droppedEvents(slow.sessionId())).isEqualTo(dropped);
        }
    }

    private static RouterClient connect(RouterEndpoint endpoint) {
        return RouterClient.connect("127.0.0.1", endpoint.pbPort(), "realm1")
                .orTimeout(10, TimeUnit.SECONDS).join();
    }
}
