package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.LimitExceededException;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SafeInput#setFrame}: a frame in a {@link ByteBuf} read through a window, large arrays
 * copied straight out of it, against the same bytes read from a copy ({@code setBuffer}): the
 * same values, and for hostile bytes the same typed errors with the same messages.
 */
@Timeout(20)
class SafeInputFrameTest {
    private static final int[] WINDOWS = {16, 64, 1000, SafeInput.WINDOW_BYTES};

    private final ValueCodecTest.End sender = new ValueCodecTest.End();
    private final ValueCodecTest.End receiver = new ValueCodecTest.End();

    private static byte[] random(int n, int seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** Values of every shape the window must cope with: arrays, strings, numbers, lists. */
    private static Object[] mixed() {
        List<Integer> ints = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            ints.add(i * 7919);
        }
        return new Object[] {
            random(16 * 1024, 1), "ascii ".repeat(500), "ünïcødé ✓ ".repeat(300), ints,
            BigInteger.ONE.shiftLeft(300).add(BigInteger.TEN), new BigDecimal("-12345.678901"),
            new int[] {1, -2, 3, Integer.MAX_VALUE}, new long[] {Long.MIN_VALUE, 5},
            random(10, 2), random(5000, 3), "", 42L, 3.5d, List.of(random(700, 4), "x"),
        };
    }

    private byte[] encode(Object... values) {
        byte[] bytes = sender.write(values);
        sender.sendTypesTo(receiver);
        return bytes;
    }

    /** The values, or the error's type and message, reading from a copy. */
    private Object fromCopy(byte[] bytes, int count) {
        SafeInput in = new SafeInput();
        in.setBuffer(bytes);
        return outcome(() -> withBytesLeft(receiver.codec.read(in, count, receiver.session),
                in));
    }

    private static Object[] withBytesLeft(Object[] values, SafeInput in) {
        Object[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = in.bytesLeft();
        return all;
    }

    /** As {@link #fromCopy}, reading {@code frame} through a window of {@code window} bytes. */
    private Object fromFrame(ByteBuf frame, int count, int window) {
        SafeInput in = new SafeInput(window);
        int readerIndex = frame.readerIndex();
        try {
            in.setFrame(frame);
            return outcome(() -> withBytesLeft(receiver.codec.read(in, count, receiver.session),
                    in));
        } finally {
            in.clearFrame();
            assertThat(frame.readerIndex()).as("reader index").isEqualTo(readerIndex);
            frame.release();
        }
    }

    private static Object outcome(java.util.function.Supplier<Object[]> read) {
        try {
            return Arrays.asList(read.get());
        } catch (PbException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static List<Function<byte[], ByteBuf>> frames() {
        return List.of(
                Unpooled::copiedBuffer,
                bytes -> PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length + 8)
                        .writeZero(3).writeBytes(bytes).skipBytes(3),
                SafeInputFrameTest::composite);
    }

    /** {@code bytes} in three direct components, split at odd places. */
    static CompositeByteBuf composite(byte[] bytes) {
        CompositeByteBuf c = Unpooled.compositeBuffer();
        int a = bytes.length / 3;
        int b = a + bytes.length / 5;
        c.addComponent(true, Unpooled.directBuffer(a).writeBytes(bytes, 0, a));
        c.addComponent(true, Unpooled.directBuffer(b - a).writeBytes(bytes, a, b - a));
        c.addComponent(true, Unpooled.directBuffer().writeBytes(bytes, b, bytes.length - b));
        return c;
    }

    /** Asserts that every window and every kind of buffer reads {@code bytes} as a copy does. */
    private void assertSameAsCopy(byte[] bytes, int count) {
        Object expected = fromCopy(bytes, count);
        for (int window : WINDOWS) {
            for (Function<byte[], ByteBuf> frame : frames()) {
                Object actual = fromFrame(frame.apply(bytes), count, window);
                if (expected instanceof List<?> values) {
                    assertThat(actual).as("window %d", window).isInstanceOf(List.class);
                    List<?> got = (List<?>) actual;
                    assertThat(got).as("window %d", window).hasSameSizeAs(values);
                    for (int i = 0; i < values.size(); i++) {
                        Object want = values.get(i);
                        if (want instanceof List<?> list) { // of arrays: compared deeply
                            assertThat(((List<?>) got.get(i)).toArray())
                                    .as("window %d, value %d", window, i)
                                    .containsExactly(list.toArray());
                        } else {
                            assertThat(got.get(i)).as("window %d, value %d", window, i)
                                    .isEqualTo(want);
                        }
                    }
                } else {
                    assertThat(actual).as("window %d", window).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void aLargeFrameReadsTheSameValuesAsACopy() {
        Object[] values = mixed();
        byte[] bytes = encode(values);
        assertThat(bytes.length).isGreaterThan(SafeInput.WINDOW_BYTES);

        assertThat(fromCopy(bytes, values.length)).isInstanceOf(List.class);
        assertSameAsCopy(bytes, values.length);
    }

    @Test
    void aSmallFrameIsCopiedWholeAndReadTheSame() {
        byte[] bytes = encode(7, "small", random(300, 5));
        ByteBuf frame = Unpooled.directBuffer().writeBytes(bytes);
        SafeInput in = new SafeInput();
        in.setFrame(frame);

        assertThat(in.limit()).as("all of it in the buffer").isEqualTo(bytes.length);
        assertThat(in.bytesLeft()).isEqualTo(bytes.length);
        frame.release();
        assertSameAsCopy(bytes, 3);
    }

    @Test
    void bytesLeftCountTheWholeFrameNotOnlyTheWindow() {
        byte[] bytes = random(10_000, 6);
        ByteBuf frame = Unpooled.wrappedBuffer(bytes);
        SafeInput in = new SafeInput(64);
        in.setFrame(frame);

        assertThat(in.bytesLeft()).isEqualTo(10_000);
        in.checkLength(10_000, 1);
        assertThatThrownBy(() -> in.checkLength(10_001, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("declared length 10001 is larger than the 10000 bytes left in the"
                        + " frame");
        byte[] head = new byte[100];
        in.readBytes(head);
        assertThat(head).isEqualTo(Arrays.copyOf(bytes, 100));
        assertThat(in.bytesLeft()).isEqualTo(9_900);
        byte[] rest = in.readBytes(9_900);
        assertThat(rest).isEqualTo(Arrays.copyOfRange(bytes, 100, 10_000));
        assertThat(in.bytesLeft()).isZero();
        in.clearFrame();
        assertThat(in.bytesLeft()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1 << 20, 1 << 30})
    void aForgedArrayLengthInsideALargeFrameIsRefusedAsInACopy(int declared) {
        byte[] bytes = encode(random(16 * 1024, 7), random(100, 8));
        // The second array's length (varint of length + 1 after its type byte) forged.
        Output out = new Output(bytes.length + 16);
        int second = bytes.length - 100 - 2; // type byte, then a 1-byte varint of 101
        out.writeBytes(bytes, 0, second + 1);
        out.writeVarInt(declared + 1, true);
        out.writeBytes(bytes, second + 2, 100);
        byte[] forged = out.toBytes();

        Object refused = fromCopy(forged, 2);
        assertThat(refused).isEqualTo(LimitExceededException.class.getName()
                + ": declared length " + declared + " is larger than the 100 bytes left in the"
                + " frame");
        assertSameAsCopy(forged, 2);
    }

    @Test
    void aForgedListCountInsideALargeFrameIsRefusedAsInACopy() {
        byte[] big = encode(random(12 * 1024, 9));
        Output out = new Output(big.length + 32, -1);
        out.writeBytes(big);
        out.writeByte(PbClassResolver.LIST);
        out.writeByte(1);
        out.writeVarInt(1 << 28, true);
        out.writeBytes(new byte[40]);
        byte[] forged = out.toBytes();

        assertThat(fromCopy(forged, 2)).asString()
                .startsWith(LimitExceededException.class.getName());
        assertSameAsCopy(forged, 2);
    }

    @Test
    void aLargeFrameCutShortEndsEarlyAsACopy() {
        byte[] bytes = encode(random(20_000, 10), "after");
        for (int cut : new int[] {5, 9_000, 19_990, bytes.length - 3}) {
            byte[] shortened = Arrays.copyOf(bytes, cut);
            assertThat(fromCopy(shortened, 2)).asString()
                    .startsWith(PbException.class.getPackageName());
            assertSameAsCopy(shortened, 2);
        }
    }

    /** The bytes naming {@code value}'s class: its encoding less its last {@code tail}. */
    private byte[] classOf(Object value, int tail) {
        byte[] bytes = encode(value);
        return Arrays.copyOf(bytes, bytes.length - tail);
    }

    @Test
    void aForgedStringLengthAcrossTheWindowEdgeIsRefusedAsInACopy() {
        byte[] string = classOf("üü", 5); // a 1-byte header, two 2-byte chars
        for (int pad = 0; pad < 12; pad++) { // the string's header at every offset in a window
            Output out = new Output(4096);
            out.writeBytes(encode(random(2000 + pad, 12)));
            out.writeBytes(string);
            out.writeVarIntFlag(true, (1 << 20) + 1, true); // UTF-8, a million chars declared
            out.writeBytes(new byte[30]);
            byte[] forged = out.toBytes();

            assertThat(fromCopy(forged, 2)).asString()
                    .startsWith(LimitExceededException.class.getName());
            assertSameAsCopy(forged, 2);
        }
    }

    @Test
    void aBigIntegerWithAZeroByteCountInsideALargeFrameIsAProtocolErrorAsInACopy() {
        byte[] bigInteger = classOf(BigInteger.ONE, 2); // a count of 1 + 1, one byte
        for (int pad = 0; pad < 12; pad++) {
            Output out = new Output(4096);
            out.writeBytes(encode(random(3000 + pad, 13)));
            out.writeBytes(bigInteger);
            out.writeVarInt(1, true); // zero bytes
            out.writeBytes(new byte[8]);
            byte[] forged = out.toBytes();

            assertThat(fromCopy(forged, 2)).asString()
                    .startsWith(ProtocolException.class.getName());
            assertSameAsCopy(forged, 2);
        }
    }

    @Test
    void theDefaultInputReadsAFrameWithoutKeepingIt() {
        byte[] bytes = encode(random(30_000, 14));
        ByteBuf frame = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes);
        Input in = ValueCodec.newInput();
        ValueCodec.setFrame(in, frame);

        Object[] values = receiver.codec.read(in, 1, receiver.session);

        assertThat(values[0]).isEqualTo(random(30_000, 14));
        assertThat(ValueCodec.bytesLeft(in)).isZero();
        ValueCodec.clearFrame(in);
        assertThat(frame.release()).isTrue();
        assertThat(in.getBuffer()).hasSize(SafeInput.WINDOW_BYTES);
    }
}
