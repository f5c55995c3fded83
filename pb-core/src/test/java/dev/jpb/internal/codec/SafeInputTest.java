package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.LimitExceededException;
import dev.jpb.ProtocolException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SafeInputTest {
    private static SafeInput over(byte[] bytes) {
        SafeInput in = new SafeInput();
        in.setBuffer(bytes);
        return in;
    }

    private static SafeInput zeros(int n) {
        return over(new byte[n]);
    }

    @Test
    void newInputIsASafeInput() {
        assertThat(ValueCodec.newInput()).isInstanceOf(SafeInput.class);
    }

    @Test
    void aLengthThatFitsTheBytesLeftPasses() {
        SafeInput in = zeros(8);

        assertThatCode(() -> in.checkLength(8, 1)).doesNotThrowAnyException();
        assertThatCode(() -> in.checkLength(2, 4)).doesNotThrowAnyException();
        assertThatCode(() -> in.checkLength(0, 8)).doesNotThrowAnyException();
    }

    @Test
    void aLengthOneElementTooLongIsRefusedNamingBothNumbers() {
        SafeInput in = zeros(8);

        assertThatThrownBy(() -> in.checkLength(9, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("declared length 9 is larger than the 8 bytes left in the frame");
        assertThatThrownBy(() -> in.checkLength(3, 4))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared length 3");
    }

    @Test
    void aNegativeLengthIsRefused() {
        assertThatThrownBy(() -> zeros(8).checkLength(-1, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared length -1");
    }

    @Test
    void hugeIntLengthsDoNotOverflowTheCheck() {
        SafeInput in = zeros(8);

        assertThatThrownBy(() -> in.checkLength(Integer.MAX_VALUE, 8))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> in.checkLength(0xFFFF_FFFFL, 8))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void claimsAddUpOverTheFrameUntilReset() {
        SafeInput in = new SafeInput();
        in.setBuffer(new byte[100], 10, 20); // a frame of 20 bytes

        assertThatCode(() -> in.claim(12, 1)).doesNotThrowAnyException();
        assertThatCode(() -> in.claim(2, 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> in.claim(1, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessage("declared lengths add up to 21 bytes, more than the 20 bytes of the"
                        + " frame: a forged count");
        in.resetClaims();
        assertThatCode(() -> in.claim(20, 1)).doesNotThrowAnyException();
        in.setBuffer(new byte[20]);
        assertThatCode(() -> in.claim(20, 1)).doesNotThrowAnyException();
    }

    @Test
    void aClaimIsCheckedAgainstTheBytesLeftFirst() {
        SafeInput in = zeros(8);
        in.skip(6);

        assertThatThrownBy(() -> in.claim(3, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("the 2 bytes left");
    }

    @Test
    void bytesLeftCountFromThePositionToTheLimit() {
        SafeInput in = new SafeInput();
        in.setBuffer(new byte[100], 10, 20); // frame is bytes 10..29
        in.skip(5);

        assertThatCode(() -> in.checkLength(15, 1)).doesNotThrowAnyException();
        assertThatThrownBy(() -> in.checkLength(16, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("the 15 bytes left");
    }

    @Test
    void readBytesWithinTheFrameReadsThem() {
        SafeInput in = over(new byte[] {1, 2, 3});

        assertThat(in.readBytes(3)).containsExactly(1, 2, 3);
    }

    @Test
    void arrayReadsPastTheFrameAreRefusedBeforeAllocating() {
        int huge = 1 << 30;
        assertThatThrownBy(() -> zeros(20).readBytes(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readInts(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readInts(huge, true))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readLongs(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readLongs(huge, false))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readFloats(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readDoubles(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readShorts(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readChars(huge))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(20).readBooleans(huge))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void fixedWidthArraysNeedTheirFullWidth() {
        assertThatThrownBy(() -> zeros(7).readInts(2))
                .isInstanceOf(LimitExceededException.class);
        assertThat(zeros(8).readInts(2)).containsExactly(0, 0);
        assertThatThrownBy(() -> zeros(15).readLongs(2))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(15).readDoubles(2))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(3).readShorts(2))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(3).readChars(2))
                .isInstanceOf(LimitExceededException.class);
        assertThatThrownBy(() -> zeros(7).readFloats(2))
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void variableWidthArraysNeedOneBytePerElement() {
        assertThat(zeros(4).readInts(4, true)).containsExactly(0, 0, 0, 0);
        assertThat(zeros(4).readLongs(4, true)).containsExactly(0, 0, 0, 0);
        assertThatThrownBy(() -> zeros(4).readInts(5, true))
                .isInstanceOf(LimitExceededException.class);
    }

    private static byte[] string(String s) {
        Output out = new Output(64, -1);
        out.writeString(s);
        return out.toBytes();
    }

    @Test
    void stringsWithinTheFrameAreRead() {
        for (String s : new String[] {null, "", "a", "ascii text", "h\u00e9 \u20ac"}) {
            assertThat(over(string(s)).readString()).isEqualTo(s);
            assertThat(over(string(s)).readStringBuilder() == null ? null
                    : over(string(s)).readStringBuilder().toString()).isEqualTo(s);
        }
    }

    @Test
    void checkingAStringHeaderConsumesNothing() {
        Output out = new Output(64, -1);
        out.writeString("h\u00e9");
        out.writeString("x");
        SafeInput in = over(out.toBytes());

        assertThat(in.readString()).isEqualTo("h\u00e9");
        assertThat(in.readString()).isEqualTo("x");
        assertThat(in.position()).isEqualTo(in.limit());
    }

    private static byte[] forgedUtf8Header(int charCount, int frameBytes) {
        Output out = new Output(16);
        out.writeVarIntFlag(true, charCount + 1, true);
        return Arrays.copyOf(out.toBytes(), frameBytes);
    }

    @Test
    void aForgedUtf8StringLengthIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> over(forgedUtf8Header(1 << 30, 20)).readString())
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared length " + (1 << 30))
                .hasMessageContaining("larger than the 15 bytes left");
        assertThatThrownBy(() -> over(forgedUtf8Header(1 << 30, 20)).readStringBuilder())
                .isInstanceOf(LimitExceededException.class);
    }

    @Test
    void aUtf8StringOneCharTooLongIsRefused() {
        // header of 1 byte claiming 5 chars, 4 bytes follow
        assertThatThrownBy(() -> over(forgedUtf8Header(5, 5)).readString())
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("the 4 bytes left");
    }

    @Test
    void aStringCountPastTwoToTheThirtyOneIsAProtocolError() {
        // found by pb-fuzz: Kryo made a String with a negative count
        Output out = new Output(64);
        out.writeVarIntFlag(true, -1, true);
        out.writeBytes(new byte[32]);

        assertThatThrownBy(() -> over(out.toBytes()).readString())
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("negative length");
        assertThatThrownBy(() -> over(out.toBytes()).readStringBuilder())
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("negative length");
    }

    @Test
    void aByteCountOfZeroForALongIsAProtocolError() {
        // found by pb-fuzz: a BigDecimal whose unscaled value has 0 bytes reached Kryo's
        // "impossible" IllegalStateException
        assertThatThrownBy(() -> zeros(16).readLong(0))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("0 bytes for a long");
        assertThatThrownBy(() -> zeros(16).readInt(5))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("5 bytes for an int");
        assertThat(zeros(16).readLong(8)).isZero();
    }
}
