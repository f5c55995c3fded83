package dev.jpb.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One clock read per socket read, shared by its frames; the clock's own time outside reads. */
@Timeout(10)
class ReadTimeTest {
    private final ReadTime time = new ReadTime();

    @Test
    void theFramesOfOneSocketReadShareOneTime() throws Exception {
        time.socketRead();
        time.frameRead();
        long first = time.now();
        pause();
        time.frameRead();
        assertThat(time.now()).isEqualTo(first);
    }

    @Test
    void eachSocketReadTakesTheTimeAfresh() throws Exception {
        time.socketRead();
        time.frameRead();
        long first = time.now();
        pause();
        time.socketRead(); // the next read of the same read loop
        time.frameRead();
        assertThat(time.now()).isGreaterThan(first);
    }

    @Test
    void theEndOfTheReadLoopForgetsItsTime() throws Exception {
        time.frameRead(); // no socketRead: a pipeline without the byte counter
        long first = time.now();
        time.readComplete();
        pause();
        time.frameRead();
        assertThat(time.now()).isGreaterThan(first);
    }

    @Test
    void outsideAReadItIsTheClocksTime() throws Exception {
        time.frameRead();
        long read = time.now();
        time.readComplete();
        pause();
        long a = time.now(); // a held call started later, say
        pause();
        assertThat(a).isGreaterThan(read);
        assertThat(time.now()).isGreaterThan(a);
    }

    private static void pause() throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000_000) {
            Thread.sleep(1);
        }
    }
}
