package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.jpb.Copyable;
import dev.jpb.Limits;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.fuzz.FuzzChecks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target (b): the value codec (Kryo under jpb's class resolver, {@link SafeInput} and the
 * read budget) decoding arbitrary bytes as the values of one message, under a registered type
 * set of records, enums, a plain class, collections, nested copies and references.
 *
 * <p>An input is one byte holding the value count (its low 3 bits), then the value bytes, as
 * they follow a CALL or ANSWER header. The receiving end knows the type ids that
 * {@link #SENDER} defines when it writes {@link #PRIMER}, so the seeds (written by
 * {@link SeedCorpus}) are real values encoded by jpb's own encoder.
 *
 * <p>Invariants, per input: decoding returns exactly the values asked for or throws a
 * {@link PbException}; no exception whose chain holds a programming error (null pointer,
 * class cast, index, negative size, arithmetic, array store, illegal state) and no
 * {@link Error} at all (an {@link OutOfMemoryError} under the small heap is an allocation the
 * bytes did not justify); and what is decoded is bounded by the input: the objects and slots
 * (elements, entries, components, fields) reachable from the values are at most twice the
 * input's length plus a constant, since every one costs at least one byte on the wire.
 */
@Timeout(120)
class ValueCodecFuzzTest {
    /** A plain enum of the registered set. */
    enum Colour implements Copyable {
        RED, GREEN, BLUE
    }

    /** A flat record. */
    record Point(int x, int y) implements Copyable {
    }

    /** A record nesting records, an enum, collections and any value (a reference, say). */
    record Shape(String name, Colour colour, List<Point> points, Map<String, Object> tags,
            Object extra) implements Copyable {
    }

    /** A record that nests itself: linked lists and, with references, cycles. */
    record Node(Object value, Node next) implements Copyable {
    }

    /** A plain class with fields, decoded field by field. */
    static final class Bag implements Copyable {
        Object content;
        int[] numbers;
        Set<Object> set;
        Colour[] colours;

        Bag() {
        }

        Bag(Object content, int[] numbers, Set<Object> set, Colour[] colours) {
            this.content = content;
            this.numbers = numbers;
            this.set = set;
            this.colours = colours;
        }
    }

    /** An object the receiving end exports: YOURS references to it come back as itself. */
    static final class Exported extends Referenceable {
    }

    static final Limits LIMITS = Limits.defaults();
    static final TypeRegistry REGISTRY = TypeRegistry.of(
            List.of(Colour.class, Point.class, Shape.class, Node.class, Bag.class));
    static final ValueCodec CODEC = new ValueCodec(REGISTRY, LIMITS.maxDepth());

    /** One value of every registered type and of the JDK types the seeds use. */
    static final List<Object> PRIMER = List.of(
            Colour.RED, new Point(1, 2),
            new Shape("s", Colour.GREEN, List.of(new Point(3, 4)), Map.of("k", 1L), null),
            new Node("n", null), new Bag(null, new int[0], Set.of(), new Colour[0]),
            new Point[0], "", 1, 1L, 1.5d, true, 'c', (byte) 1, (short) 2, 2.5f,
            java.math.BigInteger.ONE, java.math.BigDecimal.TEN, new java.util.UUID(3, 4),
            Optional.of(1), java.time.Instant.EPOCH, java.time.Duration.ZERO,
            java.time.LocalDate.EPOCH, new long[0], new byte[0], new String[0]);

    /** The sending end of the seeds: every primer type has its id. */
    static final Sender SENDER = new Sender();

    /** The receiving end's type table: the sender's definitions. */
    static final TypeTable TYPES = new TypeTable(LIMITS);

    static {
        SENDER.write(PRIMER.toArray());
        int first = SENDER.types.firstPendingId();
        List<String> names = SENDER.types.pendingDefinitions();
        for (int i = 0; i < names.size(); i++) {
            String problem = TYPES.define(first + i, names.get(i), REGISTRY);
            if (problem != null) {
                throw new IllegalStateException(problem);
            }
        }
        SENDER.types.clearPendingDefinitions();
    }

    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/jpb-wire.dict")
    @FuzzTest(maxDuration = "60s")
    void decodeArbitraryValues(byte[] data) {
        decode(data);
    }

    /**
     * Decodes {@code data} as the fuzz target does, checking the invariants.
     *
     * @return the values, or null if they were refused with a {@link PbException}
     */
    static Object[] decode(byte[] data) {
        if (data.length == 0) {
            return null;
        }
        int count = data[0] & 7;
        FakeReferenceHooks hooks = new FakeReferenceHooks();
        hooks.export(new Exported()); // id 1: YOURS(1) resolves
        CodecSession session = new CodecSession(TYPES, hooks, LIMITS);
        com.esotericsoftware.kryo.io.Input in = ValueCodec.newInput();
        in.setBuffer(data, 1, data.length - 1);
        Object[] values;
        try {
            values = CODEC.read(in, count, session);
        } catch (PbException e) {
            FuzzChecks.checkNoBug(e);
            assertThat(throughWindow(data, count)).as("read through a window")
                    .isEqualTo(e.getClass().getName() + ": " + e.getMessage());
            return null;
        }
        assertThat(values).hasSize(count);
        assertThat(throughWindow(data, count)).as("read through a window")
                .isEqualTo(List.of(weigh(values), ValueCodec.bytesLeft(in)));
        long weight = weigh(values);
        assertThat(weight).as("objects and slots decoded from %s bytes", data.length)
                .isLessThanOrEqualTo(2L * data.length + 16);
        return values;
    }

    /**
     * Decodes {@code data} as {@link #decode} does, from a composite buffer through a window of
     * 16 bytes (a large frame's way, {@link SafeInput#setFrame}): the weight of the values and
     * the bytes left, or the error's type and message, which must be the same.
     */
    static Object throughWindow(byte[] data, int count) {
        FakeReferenceHooks hooks = new FakeReferenceHooks();
        hooks.export(new Exported());
        CodecSession session = new CodecSession(TYPES, hooks, LIMITS);
        io.netty.buffer.CompositeByteBuf frame = io.netty.buffer.Unpooled.compositeBuffer();
        int half = data.length / 2;
        frame.addComponent(true, io.netty.buffer.Unpooled.wrappedBuffer(data, 1, half));
        frame.addComponent(true, io.netty.buffer.Unpooled.wrappedBuffer(data, 1 + half,
                data.length - 1 - half));
        SafeInput in = new SafeInput(16);
        in.setFrame(frame);
        try {
            Object[] values = CODEC.read(in, count, session);
            return List.of(weigh(values), in.bytesLeft());
        } catch (PbException e) {
            return e.getClass().getName() + ": " + e.getMessage();
        } finally {
            in.clearFrame();
            frame.release();
        }
    }

    /** Counts the distinct objects and their slots reachable from {@code values}. */
    static long weigh(Object[] values) {
        return FuzzChecks.weigh(Arrays.asList(values), Set.of(Bag.class),
                o -> o instanceof RemoteReference || o instanceof Referenceable
                        || o instanceof Throwable || o.getClass().getName().startsWith("java.")
                        || o.getClass().isEnum());
    }

    /** The end that encodes the seeds, with the same registered set. */
    static final class Sender {
        final TypeTable types = new TypeTable(LIMITS);
        final FakeReferenceHooks hooks = new FakeReferenceHooks();
        final CodecSession session = new CodecSession(types, hooks, LIMITS);

        /** Returns the fuzz input for {@code values}: their count, then their bytes. */
        byte[] write(Object... values) {
            com.esotericsoftware.kryo.io.Output out =
                    new com.esotericsoftware.kryo.io.Output(256, 1 << 20);
            out.writeByte(values.length);
            CODEC.write(out, values, session);
            if (!types.pendingDefinitions().isEmpty() && TYPES.inboundClass(16) != null) {
                throw new IllegalStateException("a seed uses a type the primer does not: "
                        + types.pendingDefinitions());
            }
            return out.toBytes();
        }
    }

    /** Builds a few values of the shapes a seed holds, shared and nested. */
    static Map<String, Object[]> sampleValues() {
        Map<String, Object[]> seeds = new LinkedHashMap<>();
        Point p = new Point(-7, 1 << 20);
        seeds.put("point", new Object[] {p});
        Map<String, Object> tags = new LinkedHashMap<>();
        tags.put("w", 2.5d);
        tags.put("n", "x");
        tags.put("yours", SENDER.hooks.importReference(1)); // the receiver's object 1
        seeds.put("shape", new Object[] {new Shape("triangle", Colour.BLUE,
                List.of(p, new Point(0, 0), p), tags, new Exported())});
        Node list = new Node(1, new Node("two", new Node(List.of(3L), null)));
        seeds.put("nodes", new Object[] {list, list});
        Set<Object> set = new LinkedHashSet<>(List.of("a", 1, Colour.RED, List.of(p)));
        seeds.put("bag", new Object[] {new Bag(Map.of("k", List.of()), new int[] {1, -1, 1 << 30},
                set, new Colour[] {Colour.GREEN, null})});
        List<Object> shared = new ArrayList<>(List.of("x"));
        seeds.put("shared", new Object[] {List.of(shared, shared, Optional.of(shared)), shared});
        seeds.put("scalars", new Object[] {"héllo", 42, Long.MIN_VALUE, null, 'z', true,
                new byte[] {1, 2, 3}});
        seeds.put("jdk", new Object[] {java.math.BigDecimal.valueOf(12345, 2),
                java.time.Instant.ofEpochSecond(1_700_000_000L), new java.util.UUID(1, 2),
                new long[] {1, 2}, new String[] {"a", null}});
        return seeds;
    }
}
