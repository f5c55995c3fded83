package dev.jpb.benchmarks;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.codec.CodecSession;
import dev.jpb.internal.codec.ReferenceHooks;
import dev.jpb.internal.codec.TypeRegistry;
import dev.jpb.internal.codec.TypeTable;
import dev.jpb.internal.codec.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The three ways W5 copies a graph: each encodes into a reused buffer, reports the encoded
 * size, and decodes from it. One instance per thread.
 */
final class Copiers {
    private Copiers() {
    }

    /** A copier: {@link #encode} then {@link #decode} the bytes it just wrote. */
    interface Copier {
        /** Encodes {@code value}; returns the number of bytes written. */
        int encode(Object value);

        /** Decodes what the last {@link #encode} wrote. */
        Object decode();
    }

    /**
     * jpb's {@link ValueCodec} as a connection uses it: the sender's and the receiver's
     * sessions each with their type table. Type names cross once, as on a connection: the first
     * {@link #encode} of a class hands its name to the receiving table (those bytes are not
     * counted in later encodes, as they are not sent again).
     */
    static final class Jpb implements Copier {
        private final ValueCodec codec =
                new ValueCodec(TypeRegistry.of(List.of(Graph.Person.class, Graph.Address.class)),
                        64);
        private final CodecSession sender = new CodecSession(new TypeTable(1024), NO_REFERENCES);
        private final CodecSession receiver =
                new CodecSession(new TypeTable(1024), NO_REFERENCES);
        private final Output output = new Output(4096, -1);
        private final Input input = ValueCodec.newInput();
        private final Object[] values = new Object[1];

        @Override
        public int encode(Object value) {
            output.setPosition(0);
            values[0] = value;
            codec.write(output, values, sender);
            TypeTable types = sender.types();
            List<String> names = types.pendingDefinitions();
            for (int i = 0; i < names.size(); i++) {
                String problem = receiver.types()
                        .define(types.firstPendingId() + i, names.get(i), codec.registry());
                if (problem != null) {
                    throw new IllegalStateException(problem);
                }
            }
            types.clearPendingDefinitions();
            return output.position();
        }

        @Override
        public Object decode() {
            input.setBuffer(output.getBuffer(), 0, output.position());
            return codec.read(input, 1, receiver)[0];
        }
    }

    /**
     * Plain Kryo with the graph's classes registered up front, default settings otherwise
     * (reference tracking off), or with reference tracking on as jpb has it.
     */
    static final class RawKryo implements Copier {
        private final Kryo kryo = new Kryo();
        private final Output output = new Output(4096, -1);
        private final Input input = new Input();

        RawKryo(boolean references) {
            kryo.setReferences(references);
            kryo.register(Graph.Person.class);
            kryo.register(Graph.Address.class);
            kryo.register(ArrayList.class);
        }

        @Override
        public int encode(Object value) {
            output.setPosition(0);
            kryo.writeClassAndObject(output, value);
            return output.position();
        }

        @Override
        public Object decode() {
            input.setBuffer(output.getBuffer(), 0, output.position());
            return kryo.readClassAndObject(input);
        }
    }

    /** {@code java.io} serialization, one stream pair per copy (as each message needs). */
    static final class JavaIo implements Copier {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);

        @Override
        public int encode(Object value) {
            bytes.reset();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.size();
        }

        @Override
        public Object decode() {
            try (ObjectInputStream in = new ObjectInputStream(
                    new ByteArrayInputStream(bytes.toByteArray()))) {
                return in.readObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** W5 copies values only: any reference would be a bug in the benchmark. */
    static final ReferenceHooks NO_REFERENCES = new ReferenceHooks() {
        @Override
        public long export(Referenceable object) {
            throw new UnsupportedOperationException("W5 sends no references");
        }

        @Override
        public void unexport(long id) {
            throw new UnsupportedOperationException("W5 sends no references");
        }

        @Override
        public long remoteIdOf(RemoteReference reference) {
            throw new UnsupportedOperationException("W5 sends no references");
        }

        @Override
        public RemoteReference importReference(long id) {
            throw new UnsupportedOperationException("W5 sends no references");
        }

        @Override
        public Referenceable exportedObject(long id) {
            throw new UnsupportedOperationException("W5 sends no references");
        }
    };
}
