package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.cache.CacheExport;

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
            RemoteReference ref = ValueCodec.importReference(kryo, input.readVarLong(true));
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
            Object local = ValueCodec.session(kryo).exportedObject(input.readVarLong(true));
            if (local instanceof CacheExport cached) {
                local = cached.cacheable(); // a copy sent back arrives as the original
            }
            kryo.reference(local);
            return local;
        }
    }

    /** Our own {@link dev.jpb.Cacheable} (CACHE, class id 6): its id; the peer gets its copy. */
    static final class Cached extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object object) {
            output.writeVarLong(ValueCodec.session(kryo).exportCache(object), true);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            Object copy = ValueCodec.session(kryo).importCache(input.readVarLong(true));
            kryo.reference(copy);
            return copy;
        }
    }

    /** A copy of the peer's cacheable, sent back to it (YOURS): arrives as the original. */
    static final class CopyBack extends Serializer<Object> {
        @Override
        public void write(Kryo kryo, Output output, Object object) {
            output.writeVarLong(ValueCodec.session(kryo).idOfCopy(object), true);
        }

        @Override
        public Object read(Kryo kryo, Input input, Class<?> type) {
            throw new IllegalStateException("YOURS is read by Remote");
        }
    }
}
