package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.BigIntegerSerializer;
import dev.jpb.ProtocolException;
import java.math.BigInteger;

/**
 * Kryo's {@code BigInteger} encoding (a varint of the byte count plus one, then the two's
 * complement bytes), refusing a count of no bytes, which Kryo never writes (zero is one byte),
 * with a {@link ProtocolException} rather than the JDK's {@code NumberFormatException}. Found by
 * pb-fuzz. Stateless and thread-safe.
 */
final class CheckedBigIntegerSerializer extends BigIntegerSerializer {
    @Override
    public BigInteger read(Kryo kryo, Input input, Class<? extends BigInteger> type) {
        if (input instanceof SafeInput safe) {
            safe.buffered(5); // the count in the window: stepping back to start stays right
        }
        int start = input.position();
        if (input.canReadVarInt() && input.readVarInt(true) == 1) {
            throw new ProtocolException("a BigInteger declares 0 bytes (zero is one byte): a"
                    + " forged value");
        }
        input.setPosition(start);
        return super.read(kryo, input, type);
    }
}
