package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Output;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link FrameOutput}: large arrays straight into the frame, the same bytes as a copy. */
@Timeout(10)
class FrameOutputTest {
    private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new Random(n).nextBytes(bytes);
        return bytes;
    }

    /** The frame a plain output gives for what {@code body} writes: length, then the body. */
    private static byte[] expected(java.util.function.Consumer<Output> body) {
        Output out = new Output(256, -1);
        body.accept(out);
        byte[] b = out.toBytes();
        byte[] frame = new byte[4 + b.length];
        frame[0] = (byte) (b.length >>> 24);
        frame[1] = (byte) (b.length >>> 16);
        frame[2] = (byte) (b.length >>> 8);
        frame[3] = (byte) b.length;
        System.arraycopy(b, 0, frame, 4, b.length);
        return frame;
    }

    private static byte[] taken(FrameOutput out) {
        assertThat(out.spilled()).isTrue();
        ByteBuf frame = out.takeFrame();
        try {
            assertThat(frame.isDirect()).as("an I/O buffer").isTrue();
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void aSmallBodyNeverSpills() {
        FrameOutput out = new FrameOutput(4096);
        out.start(1 << 20);
        out.spillTo(ALLOC);

        out.writeVarLong(12345, true);
        out.writeBytes(random(FrameOutput.SPILL_BYTES - 1));
        out.writeString("tail");

        assertThat(out.spilled()).isFalse();
        assertThat(out.position()).isEqualTo(2 + FrameOutput.SPILL_BYTES - 1 + 4);
    }

    @Test
    void nothingSpillsBeforeSpillToEvenALargeArray() {
        FrameOutput out = new FrameOutput(4096);
        out.start(1 << 20);

        out.writeBytes(random(16 * 1024));

        assertThat(out.spilled()).isFalse();
        assertThat(out.position()).isEqualTo(16 * 1024);
    }

    @Test
    void aLargeArrayGoesIntoTheFrameAfterTheBytesBeforeIt() {
        byte[] payload = random(16 * 1024);
        java.util.function.Consumer<Output> body = o -> {
            o.writeByte(4);
            o.writeVarLong(99, true);
            o.writeVarInt(payload.length + 1, true);
            o.writeBytes(payload);
        };
        FrameOutput out = new FrameOutput(4096);
        out.start(1 << 20);
        out.spillTo(ALLOC);

        body.accept(out);

        assertThat(taken(out)).isEqualTo(expected(body));
        assertThat(out.spilled()).isFalse();
        assertThat(out.position()).isZero();
    }

    @Test
    void severalArraysAndSmallWritesBetweenThemKeepTheirOrder() {
        byte[] a = random(5000);
        byte[] b = random(70_000);
        java.util.function.Consumer<Output> body = o -> {
            o.writeString("first");
            o.writeBytes(a);
            o.writeInt(7);
            o.writeBytes(random(100));
            o.writeBytes(b, 10, 60_000);
            o.writeString("last ".repeat(2000)); // past the heap buffer's size: it grows
        };
        FrameOutput out = new FrameOutput(256);
        out.start(1 << 20);
        out.spillTo(ALLOC);

        body.accept(out);

        assertThat(taken(out)).isEqualTo(expected(body));
    }

    @Test
    void theLimitCountsTheSpilledBytes() {
        FrameOutput out = new FrameOutput(4096);
        out.start(20_000);
        out.spillTo(ALLOC);
        out.writeBytes(random(16 * 1024));

        assertThatThrownBy(() -> out.writeBytes(random(4000)))
                .isInstanceOf(KryoException.class).hasMessageStartingWith("Buffer overflow");
        out.writeBytes(random(3000)); // 19,384: fits
        assertThatThrownBy(() -> out.writeBytes(new byte[1000])) // in the heap buffer: too many
                .isInstanceOf(KryoException.class).hasMessageStartingWith("Buffer overflow");
        out.discard();
    }

    @Test
    void aSpillPastTheLimitFailsBeforeAllocating() {
        FrameOutput out = new FrameOutput(4096);
        out.start(10_000);
        out.spillTo(ALLOC);

        assertThatThrownBy(() -> out.writeBytes(random(10_001)))
                .isInstanceOf(KryoException.class).hasMessageStartingWith("Buffer overflow");
        assertThat(out.spilled()).isFalse();
    }

    @Test
    void restartAndStartReleaseASpilledFrameAndBeginAnew() {
        FrameOutput out = new FrameOutput(4096);
        out.start(1 << 20);
        out.spillTo(ALLOC);
        out.writeBytes(random(8000));
        assertThat(out.spilled()).isTrue();

        out.restart();

        assertThat(out.spilled()).isFalse();
        assertThat(out.position()).isZero();
        out.writeBytes(random(8000)); // restart turns spilling off
        assertThat(out.spilled()).isFalse();
        out.spillTo(ALLOC);
        out.writeBytes(random(2000));
        assertThat(out.spilled()).isTrue();
        out.start(1 << 20); // the paranoid leak detector fails the run if this leaked
        assertThat(out.spilled()).isFalse();
        assertThat(out.position()).isZero();
    }

    @Test
    void aSecondBodyAfterTakeFrameIsItsOwn() {
        FrameOutput out = new FrameOutput(4096);
        out.start(1 << 20);
        out.spillTo(ALLOC);
        out.writeBytes(random(3000));
        taken(out);

        out.start(1 << 20);
        out.spillTo(ALLOC);
        out.writeByte(1);
        out.writeBytes(random(1500));

        assertThat(taken(out)).isEqualTo(expected(o -> {
            o.writeByte(1);
            o.writeBytes(random(1500));
        }));
    }
}
