package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CheckedBigIntegerSerializerTest {
    private final Kryo kryo = new Kryo();
    private final CheckedBigIntegerSerializer serializer = new CheckedBigIntegerSerializer();

    private BigInteger read(byte[] bytes) {
        return serializer.read(kryo, new Input(bytes), BigInteger.class);
    }

    @Test
    void aBigIntegerOfNoBytesIsAProtocolError() {
        // found by pb-fuzz: the JDK's NumberFormatException ("Zero length BigInteger")
        assertThatThrownBy(() -> read(new byte[] {1}))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("declares 0 bytes");
    }

    @Test
    void whatKryoWritesReadsBackAndNullStaysNull() {
        for (BigInteger v : new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.TEN,
                BigInteger.valueOf(-129), BigInteger.TWO.pow(200).negate()}) {
            Output out = new Output(64, -1);
            serializer.write(kryo, out, v);
            assertThat(read(out.toBytes())).isEqualTo(v);
        }
        assertThat(read(new byte[] {0})).isNull();
    }
}
