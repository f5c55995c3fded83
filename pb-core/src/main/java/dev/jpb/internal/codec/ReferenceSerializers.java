package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;

/** References on the wire: an object id, with the connection's broker doing the counting. */
final class ReferenceSerializers {
    private ReferenceSerializers() {
    }

    /** Our own {@link Referenceable}: exported (counted) and sent as its id. */
    static final class Local extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object object) {
            output.writeVarLong(ValueCodec.session(kryo).export((Referenceable) object), true);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            // The peer's object: we receive a proxy to it.
            RemoteReference ref = ValueCodec.session(kryo).importReference(input.readVarLong(true));
            kryo.reference(ref);
            return ref;
        }
    }

    /** A proxy to the peer's object, sent back to it: arrives as the original object. */
    static final class Remote extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object object) {
            output.writeVarLong(ValueCodec.session(kryo).remoteIdOf(object), true);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            Referenceable local = ValueCodec.session(kryo).exportedObject(input.readVarLong(true));
            kryo.reference(local);
            return local;
        }
    }
}
