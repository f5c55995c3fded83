package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import dev.jpb.Copyable;
import dev.jpb.ForbiddenTypeException;
import dev.jpb.LimitExceededException;
import dev.jpb.NoSuchObjectException;
import dev.jpb.PbError;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ValueCodecTest {
    record Point(int x, int y) implements Copyable {
    }

    record Line(Point from, Point to, String label) implements Copyable {
    }

    enum Color implements Copyable { RED, GREEN }

    record Rec(int zeta, String alpha, List<String> tags, Color color, Integer boxed, Object any)
            implements Copyable {
    }

    record Positive(int value) implements Copyable {
        Positive {
            if (value <= 0) {
                throw new IllegalArgumentException("value must be positive");
            }
        }
    }

    enum Op implements Copyable {
        PLUS {
            @Override
            int apply(int a, int b) {
                return a + b;
            }
        };

        abstract int apply(int a, int b);
    }

    static final class Bag implements Copyable {
        String name;
        List<Object> items;
        Map<String, Integer> counts;
    }

    static final class Secret implements Copyable {
        String value = "s3cr3t";
    }

    static class Detailed extends PbError {
        int code;
        String detail;

        Detailed(String message) {
            super(message);
        }
    }

    static final class Target extends Referenceable {
    }

    static final class GenericBox<T> implements Copyable {
        T value;
    }

    static final class TypedHolder implements Copyable {
        GenericBox<String> box;
    }

    static final class RawHolder implements Copyable {
        @SuppressWarnings("rawtypes")
        GenericBox box;
    }

    /** One end of a connection: its allow-list, codec, type table and reference hooks. */
    static final class End {
        final TypeRegistry registry;
        final ValueCodec codec;
        final TypeTable types = new TypeTable(1000);
        final FakeReferenceHooks hooks = new FakeReferenceHooks();
        final CodecSession session;

        End(int maxDepth, Class<?>... registered) {
            this(maxDepth, dev.jpb.Limits.defaults(), registered);
        }

        End(dev.jpb.Limits limits, Class<?>... registered) {
            this(limits.maxDepth(), limits, registered);
        }

        private End(int maxDepth, dev.jpb.Limits limits, Class<?>... registered) {
            this.registry = TypeRegistry.of(List.of(registered));
            this.codec = new ValueCodec(registry, maxDepth);
            this.session = new CodecSession(types, hooks, limits);
        }

        End(Class<?>... registered) {
            this(64, registered);
        }

        byte[] write(Object... values) {
            Output out = new Output(256, 1 << 26);
            codec.write(out, values, session);
            return out.toBytes();
        }

        Object[] read(byte[] bytes, int count) {
            Input in = ValueCodec.newInput();
            in.setBuffer(bytes);
            return codec.read(in, count, session);
        }

        /** Delivers this end's new type names to {@code peer}, as a TYPES frame would. */
        void sendTypesTo(End peer) {
            int first = types.firstPendingId();
            List<String> names = types.pendingDefinitions();
            for (int i = 0; i < names.size(); i++) {
                assertThat(peer.types.define(first + i, names.get(i), peer.registry))
                        .as("definition of %s", names.get(i)).isNull();
            }
            types.clearPendingDefinitions();
        }

        /** Defines {@code names} from id 16 on, as if the peer had sent them. */
        void peerDefines(String... names) {
            for (String name : names) {
                int id = TypeTable.FIRST_ID;
                while (types.inbound(id) != null) {
                    id++;
                }
                assertThat(types.define(id, name, registry)).isNull();
            }
        }
    }

    static Object[] send(End from, End to, Object... values) {
        byte[] bytes = from.write(values);
        from.sendTypesTo(to);
        return to.read(bytes, values.length);
    }

    private static Object roundTrip(Object value, Class<?>... registered) {
        return send(new End(registered), new End(registered), value)[0];
    }

    private static Object nestedLists(int depth) {
        Object value = null;
        for (int i = 0; i < depth; i++) {
            value = new ArrayList<>(Arrays.asList(value));
        }
        return value;
    }

    // ---- round trips

    @Test
    void boxesStringsAndNullsRoundTrip() {
        Object[] values = {1, 2L, 3.5d, 4.5f, (short) 6, (byte) 7, 'c', true, "text",
            "h\u00e9 \u20ac \uD834\uDD1E", "", null, Integer.MIN_VALUE, Long.MAX_VALUE};

        assertThat(send(new End(), new End(), values)).containsExactly(values);
    }

    @Test
    void collectionsArriveAsOrdinaryJdkCollectionsInTheSendersOrder() {
        Object[] received = send(new End(), new End(),
                List.of(1, "a"),
                ImmutableList.of(3L, 2L),
                new TreeSet<>(List.of(3, 1, 2)),
                new TreeMap<>(Map.of("b", 2, "a", 1)),
                ImmutableMap.of("z", List.of(), "y", Map.of()));

        assertThat(received[0]).isInstanceOf(ArrayList.class).isEqualTo(List.of(1, "a"));
        assertThat(received[1]).isInstanceOf(ArrayList.class).isEqualTo(List.of(3L, 2L));
        assertThat(received[2]).isInstanceOf(LinkedHashSet.class);
        assertThat(List.copyOf((LinkedHashSet<?>) received[2])).isEqualTo(List.of(1, 2, 3));
        assertThat(received[3]).isInstanceOf(LinkedHashMap.class);
        assertThat(List.copyOf(((Map<?, ?>) received[3]).keySet())).isEqualTo(List.of("a", "b"));
        assertThat(List.copyOf(((Map<?, ?>) received[4]).keySet())).isEqualTo(List.of("z", "y"));
        assertThat(received[4]).isEqualTo(Map.of("z", List.of(), "y", Map.of()));
    }

    @Test
    void arraysRoundTrip() {
        Object[] values = {new int[] {1, -2, Integer.MAX_VALUE}, new byte[] {1, 2, -3},
            new long[] {Long.MIN_VALUE}, new double[] {1.5}, new boolean[] {true, false},
            new char[] {'x', '\u20ac'}, new String[] {"a", null, "c"},
            new String[][] {{"a"}, {}, null}, new Integer[] {1, null}, new int[0][0],
            new Point[] {new Point(1, 2)}};

        Object[] received = send(new End(Point.class), new End(Point.class), values);

        for (int i = 0; i < values.length; i++) {
            assertThat(received[i]).as("value %s", i).isInstanceOf(values[i].getClass());
            assertThat(Arrays.deepEquals(new Object[] {received[i]}, new Object[] {values[i]}))
                    .as("value %s", i).isTrue();
        }
    }

    @Test
    void recordsAndEnumsRoundTrip() {
        Line line = new Line(new Point(1, 2), new Point(3, 4), "diagonal");

        Object[] received = send(new End(Line.class, Point.class, Color.class, Op.class),
                new End(Op.class, Color.class, Point.class, Line.class),
                line, Color.GREEN, Op.PLUS, List.of(Color.RED));

        assertThat(received[0]).isEqualTo(line);
        assertThat(received[1]).isSameAs(Color.GREEN);
        assertThat(received[2]).isSameAs(Op.PLUS);
        assertThat(received[3]).isEqualTo(List.of(Color.RED));
    }

    @Test
    void registeredClassesTravelFieldByField() {
        Bag bag = new Bag();
        bag.name = "bag";
        bag.items = new ArrayList<>(List.of(1, "two", new Point(3, 3)));
        bag.counts = new LinkedHashMap<>(Map.of("x", 1));

        Bag received = (Bag) roundTrip(bag, Bag.class, Point.class);

        assertThat(received.name).isEqualTo("bag");
        assertThat(received.items).containsExactly(1, "two", new Point(3, 3));
        assertThat(received.counts).containsExactly(Map.entry("x", 1));
    }

    @Test
    void jdkValueTypesRoundTrip() {
        Object[] values = {new BigDecimal("12.345"), new BigInteger("123456789012345678901234"),
            UUID.randomUUID(), Instant.ofEpochSecond(1_700_000_000L, 5), LocalDate.of(2024, 2, 29),
            Duration.ofMillis(1500), Optional.of("x"), Optional.empty()};

        assertThat(send(new End(), new End(), values)).containsExactly(values);
    }

    @Test
    void pbErrorsArriveAsThemselvesWithMessageAndOwnFields() {
        Detailed error = new Detailed("it broke");
        error.code = 42;
        error.detail = "disk full";

        Object[] received = send(new End(Detailed.class), new End(Detailed.class),
                error, new NoSuchObjectException("no object 9"));

        assertThat(received[0]).isInstanceOf(Detailed.class);
        assertThat((Detailed) received[0]).hasMessage("it broke");
        assertThat(((Detailed) received[0]).code).isEqualTo(42);
        assertThat(((Detailed) received[0]).detail).isEqualTo("disk full");
        assertThat(received[1]).isInstanceOf(NoSuchObjectException.class);
        assertThat((NoSuchObjectException) received[1]).hasMessage("no object 9");
    }

    @Test
    void theSameObjectTwiceInOneMessageArrivesAsOneObject() {
        Point p = new Point(1, 1);
        List<Point> list = List.of(p, p);

        Object[] received = send(new End(Point.class), new End(Point.class), p, list, p);

        assertThat(received[0]).isSameAs(received[2]);
        assertThat(((List<?>) received[1]).get(0)).isSameAs(received[0]);
    }

    @Test
    void separateMessagesDoNotShareObjects() {
        End sender = new End(Point.class);
        End receiver = new End(Point.class);
        Point p = new Point(1, 1);

        Object first = send(sender, receiver, p)[0];
        Object second = send(sender, receiver, p)[0];

        assertThat(first).isEqualTo(second).isNotSameAs(second);
    }

    @Test
    void typeNamesAreDefinedOncePerConnectionAndIdentifiedByName() {
        End sender = new End(Point.class, Color.class);
        End receiver = new End(Color.class, Point.class); // another registration order

        sender.write(Color.RED, "s");
        assertThat(sender.types.pendingDefinitions())
                .containsExactly(Color.class.getName(), "java.lang.String");
        sender.sendTypesTo(receiver);

        byte[] second = sender.write("t", Color.GREEN, new Point(0, 0));
        assertThat(sender.types.pendingDefinitions()).containsExactly(Point.class.getName());
        sender.sendTypesTo(receiver);

        assertThat(receiver.read(second, 3)).containsExactly("t", Color.GREEN, new Point(0, 0));
    }

    @Test
    void aGenericFieldIsEncodedTheSameWhateverTheTypeArgumentsOfItsHolder() {
        // A foreign peer cannot know Java type arguments: GenericBox.value carries its own type
        // even where the holder's declaration says it is a (final) String.
        TypedHolder typed = new TypedHolder();
        typed.box = new GenericBox<>();
        typed.box.value = "x";
        GenericBox<Object> untyped = new GenericBox<>();
        untyped.value = "x";
        RawHolder raw = new RawHolder();
        raw.box = untyped;
        Class<?>[] types = {TypedHolder.class, RawHolder.class, GenericBox.class};

        byte[] typedBytes = new End(types).write(typed);
        byte[] rawBytes = new End(types).write(raw);

        assertThat(typedBytes).isEqualTo(rawBytes);
        assertThat(((TypedHolder) roundTrip(typed, types)).box.value).isEqualTo("x");
    }

    @Test
    void referenceablesTravelAsIdsAndComeBackAsThemselves() {
        End server = new End();
        End client = new End();
        Target target = new Target();

        Object[] received = send(server, client, target, List.of(target));

        assertThat(server.hooks.exported).containsExactly(1L);
        assertThat(received[0]).isInstanceOf(RemoteReference.class)
                .isSameAs(((List<?>) received[1]).get(0));
        assertThat(((FakeReferenceHooks.FakeRemoteReference) received[0]).id).isEqualTo(1L);

        Object[] back = send(client, server, received[0]);

        assertThat(back[0]).isSameAs(target);
    }

    // ---- allow-list

    @Test
    void sendingAnUnregisteredCopyableIsForbiddenNamingTheClassAndHowToRegisterIt() {
        End sender = new End();

        assertThatThrownBy(() -> sender.write("fine", new Secret()))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("class " + Secret.class.getName() + " is not registered")
                .hasMessageContaining("register(Secret.class)");
    }

    @Test
    void sendingAnUnregisteredClassInsideACollectionIsForbidden() {
        End sender = new End();

        assertThatThrownBy(() -> sender.write(List.of(Map.of("k", new Secret()))))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining(Secret.class.getName());
    }

    @Test
    void sendingANonCopyableJdkClassIsForbidden() {
        End sender = new End();

        assertThatThrownBy(() -> sender.write(new ByteArrayOutputStream()))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("java.io.ByteArrayOutputStream")
                .hasMessageContaining("dev.jpb.Copyable")
                .hasMessageContaining("dev.jpb.Referenceable");
        assertThatThrownBy(() -> sender.write((Object) new Object[] {1}))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("java.lang.Object");
    }

    @Test
    void receivingAClassNotRegisteredHereIsForbiddenEveryTimeAndTheSessionLivesOn() {
        End sender = new End(Secret.class);
        End receiver = new End();

        assertThatThrownBy(() -> send(sender, receiver, new Secret()))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining(Secret.class.getName())
                .hasMessageContaining("not registered here");

        byte[] again = sender.write(List.of(new Secret()));
        assertThat(sender.types.pendingDefinitions()).isEmpty(); // the id is reused
        assertThatThrownBy(() -> receiver.read(again, 1))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining(Secret.class.getName());

        assertThat(send(sender, receiver, "still fine", 7)).containsExactly("still fine", 7);
    }

    @Test
    void anUndefinedTypeIdIsAProtocolError() {
        End receiver = new End();

        assertThatThrownBy(() -> receiver.read(new byte[] {32}, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("type id 32 was never defined on this connection");
        assertThatThrownBy(() -> receiver.read(new byte[] {7}, 1)) // reserved, unused
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("type id 7");
    }

    @Test
    void aMessageThatEndsEarlyIsAProtocolError() {
        End receiver = new End();
        receiver.peerDefines("java.lang.String");

        // a list of one element: a String whose reference marker is missing
        assertThatThrownBy(() -> receiver.read(new byte[] {3, 1, 1, 16}, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("ends early");
    }

    // ---- nesting depth

    @Test
    void writingDeeperThanMaxDepthIsLimitExceededNamingMaxDepth() {
        End sender = new End(8);

        assertThatThrownBy(() -> sender.write(nestedLists(20)))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxDepth (8)");
    }

    @Test
    void nestingWithinMaxDepthIsFine() {
        assertThat(send(new End(8), new End(8), nestedLists(5))).containsExactly(nestedLists(5));
    }

    @Test
    void readingCraftedBytesDeeperThanMaxDepthIsLimitExceeded() {
        End receiver = new End(8);
        ByteArrayOutputStream crafted = new ByteArrayOutputStream();
        for (int i = 0; i < 50; i++) {
            crafted.writeBytes(new byte[] {PbClassResolver.LIST, 1, 1}); // list, new, 1 element
        }
        crafted.write(PbClassResolver.NULL);

        assertThatThrownBy(() -> receiver.read(crafted.toByteArray(), 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxDepth (8)");
    }

    @Test
    void craftedNestingPastTheThreadStackIsLimitExceededAndTheCodecRecovers() {
        End receiver = new End(Integer.MAX_VALUE);
        int levels = 200_000;
        byte[] crafted = new byte[levels * 3 + 1];
        for (int i = 0; i < levels; i++) {
            crafted[3 * i] = PbClassResolver.LIST;
            crafted[3 * i + 1] = 1;
            crafted[3 * i + 2] = 1;
        }

        assertThatThrownBy(() -> receiver.read(crafted, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxDepth");

        assertThat(receiver.read(new byte[] {PbClassResolver.LIST, 1, 0}, 1))
                .containsExactly(List.of());
    }

    @Test
    void aDepthFailureDoesNotLeakDepthIntoTheNextMessage() {
        End sender = new End(8);
        End receiver = new End(8);
        for (int i = 0; i < 20; i++) {
            assertThatThrownBy(() -> sender.write(nestedLists(20)))
                    .isInstanceOf(LimitExceededException.class);
        }

        assertThat(send(sender, receiver, nestedLists(6))).containsExactly(nestedLists(6));
    }

    // ---- forged lengths: refused before allocating

    /** 20 bytes: {@code header}, then a varint {@code length}, then zeros. */
    private static byte[] forged(byte[] header, int length) {
        Output out = new Output(20);
        out.writeBytes(header);
        out.writeVarInt(length, true);
        return Arrays.copyOf(out.toBytes(), 20);
    }

    private static int leftAfter(byte[] header, int length) {
        Output out = new Output(20);
        out.writeBytes(header);
        out.writeVarInt(length, true);
        return 20 - out.position();
    }

    private static void assertForgedLengthRefused(End receiver, byte[] header, int length,
            int declared, int left) {
        byte[] bytes = forged(header, length);

        assertThat(bytes).hasSize(20);
        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared length " + declared)
                .hasMessageContaining("larger than the " + left + " bytes left");
    }

    @Test
    void forgedListLengthIsRefused() {
        byte[] header = {PbClassResolver.LIST, 1};
        assertForgedLengthRefused(new End(), header, 1 << 30, 1 << 30, leftAfter(header, 1 << 30));
    }

    @Test
    void forgedSetAndMapLengthsAreRefused() {
        byte[] set = {PbClassResolver.SET, 1};
        byte[] map = {PbClassResolver.MAP, 1};
        assertForgedLengthRefused(new End(), set, 1 << 30, 1 << 30, leftAfter(set, 1 << 30));
        assertForgedLengthRefused(new End(), map, 1 << 30, 1 << 30, leftAfter(map, 1 << 30));
    }

    @Test
    void forgedByteArrayLengthIsRefused() {
        End receiver = new End();
        receiver.peerDefines("[B");
        byte[] header = {16, 1};
        // primitive arrays carry length + 1 (0 means null)
        assertForgedLengthRefused(receiver, header, (1 << 30) + 1, 1 << 30,
                leftAfter(header, (1 << 30) + 1));
    }

    @Test
    void forgedIntAndLongArrayLengthsAreRefused() {
        End receiver = new End();
        receiver.peerDefines("[I", "[J");
        byte[] ints = {16, 1};
        byte[] longs = {17, 1};
        assertForgedLengthRefused(receiver, ints, (1 << 30) + 1, 1 << 30,
                leftAfter(ints, (1 << 30) + 1));
        assertForgedLengthRefused(receiver, longs, (1 << 30) + 1, 1 << 30,
                leftAfter(longs, (1 << 30) + 1));
    }

    @Test
    void forgedObjectArrayLengthIsRefused() {
        End receiver = new End();
        receiver.peerDefines("[Ljava.lang.String;");
        byte[] header = {16, 1};
        assertForgedLengthRefused(receiver, header, 1 << 30, 1 << 30, leftAfter(header, 1 << 30));
    }

    @Test
    void stringsCarryNoReferenceMarkerAndAreNeverBackReferences() {
        End sender = new End();
        String shared = "ab";

        byte[] bytes = sender.write(shared, shared);

        // String (16) "ab", then String (16) "ab" again: no marker, no back-reference (§6.1)
        assertThat(bytes).containsExactly(16, 0x61, 0xe2, 16, 0x61, 0xe2);
    }

    /** The examples of docs/protocol.md §6.2 and §6.6, byte for byte. */
    @Test
    void protocolDocExamplesOfStringsInsideValues() {
        assertThat(new End().write(List.of(1, "ab")))
                .containsExactly(0x03, 0x01, 0x02, 0x10, 0x02, 0x11, 0x61, 0xe2);
        assertThat(new End().write(Map.of("k", 1)))
                .containsExactly(0x05, 0x01, 0x01, 0x10, 0x82, 0x6b, 0x11, 0x02);
        assertThat(new End().write((Object) new String[] {"ab", null}))
                .containsExactly(0x10, 0x01, 0x02, 0x11, 0x61, 0xe2, 0x00);
        List<Object> empty = new ArrayList<>();
        assertThat(new End().write(empty, empty)).containsExactly(0x03, 0x01, 0x00, 0x03, 0x02);
    }

    /** The record examples of docs/protocol.md §6.7, byte for byte, and back. */
    @Test
    void recordsAreWrittenAsTheProtocolDocSays() {
        End sender = new End(Rec.class, Color.class, Point.class);
        End receiver = new End(Rec.class, Color.class, Point.class);
        Rec full = new Rec(1, "ab", List.of("x"), Color.GREEN, 5, 7);
        Rec empty = new Rec(1, null, null, null, null, null);

        assertThat(new End(Point.class).write(new Point(1, -1)))
                .containsExactly(0x10, 0x01, 0x02, 0x01);
        byte[] fullBytes = sender.write(full);
        assertThat(fullBytes).containsExactly(0x10, 0x01, 0x01, 0x61, 0xe2, 0x11, 0x0e, 0x01,
                0x0a, 0x01, 0x47, 0x52, 0x45, 0x45, 0xce, 0x03, 0x01, 0x01, 0x12, 0x82, 0x78,
                0x02);
        byte[] emptyBytes = sender.write(empty);
        assertThat(emptyBytes).containsExactly(0x10, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02);
        sender.sendTypesTo(receiver);
        assertThat(receiver.read(fullBytes, 1)).containsExactly(full);
        assertThat(receiver.read(emptyBytes, 1)).containsExactly(empty);
    }

    @Test
    void aRecordWhoseConstructorRefusesTheValuesIsAProtocolError() {
        End receiver = new End(Positive.class);
        receiver.peerDefines(Positive.class.getName());

        // Positive (16), new, value = 0 (zigzag 0): the compact constructor throws
        assertThatThrownBy(() -> receiver.read(new byte[] {16, 1, 0}, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(Positive.class.getName())
                .hasMessageContaining("value must be positive");
    }

    @Test
    void aSharedListStillArrivesAsOneInstance() {
        End sender = new End();
        End receiver = new End();
        List<String> shared = new ArrayList<>(List.of("x"));

        byte[] bytes = sender.write(shared, shared);
        sender.sendTypesTo(receiver);
        Object[] values = receiver.read(bytes, 2);

        assertThat(values[0]).isEqualTo(List.of("x")).isSameAs(values[1]);
    }

    @Test
    void forgedStringLengthIsRefused() {
        End receiver = new End();
        receiver.peerDefines("java.lang.String");
        Output out = new Output(20);
        out.writeBytes(new byte[] {16}); // a String value: no reference marker
        out.writeVarIntFlag(true, (1 << 30) + 1, true); // UTF-8 string of 2^30 chars
        int left = 20 - out.position();
        byte[] bytes = Arrays.copyOf(out.toBytes(), 20);

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared length " + (1 << 30))
                .hasMessageContaining("larger than the " + left + " bytes left");
    }

    @Test
    void forgedLengthInsideARecordIsRefused() {
        End receiver = new End(Line.class, Point.class);
        receiver.peerDefines(Line.class.getName());
        Output out = new Output(20);
        // a Line, new; its components by name: from = null, label = a String (final: no type)
        out.writeBytes(new byte[] {16, 1, 0, 1});
        out.writeVarIntFlag(true, (1 << 30) + 1, true);
        int left = 20 - out.position();
        byte[] bytes = Arrays.copyOf(out.toBytes(), 20);

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("larger than the " + left + " bytes left");
    }

    // ---- failed writes

    @Test
    void exportsOfAMessageThatFailsMidwayAreUndone() {
        End sender = new End();
        Target a = new Target();
        Target b = new Target();

        assertThatThrownBy(() -> sender.write(a, List.of(b, new Secret())))
                .isInstanceOf(ForbiddenTypeException.class);

        assertThat(sender.hooks.exported).hasSize(2);
        assertThat(sender.hooks.unexported)
                .containsExactlyInAnyOrderElementsOf(sender.hooks.exported);
    }

    @Test
    void exportsOfEarlierMessagesStayWhenALaterOneFails() {
        End sender = new End();
        Target a = new Target();
        Target b = new Target();
        sender.write(a);
        long idOfA = sender.hooks.exported.get(0);

        assertThatThrownBy(() -> sender.write(a, b, new Secret()))
                .isInstanceOf(ForbiddenTypeException.class);

        assertThat(sender.hooks.exported).containsExactly(idOfA, idOfA, idOfA + 1);
        assertThat(sender.hooks.unexported).containsExactlyInAnyOrder(idOfA, idOfA + 1);
    }

    @Test
    void aSuccessfulWriteUndoesNothing() {
        End sender = new End();
        sender.write(new Target(), new Target());

        assertThat(sender.hooks.exported).hasSize(2);
        assertThat(sender.hooks.unexported).isEmpty();
    }

    @Test
    void aValueLargerThanTheOutputIsLimitExceededNamingMaxFrameBytesAndUndoesExports() {
        End sender = new End();
        Output small = new Output(64, 1024);

        assertThatThrownBy(() -> sender.codec.write(small,
                new Object[] {new Target(), new byte[4096]}, sender.session))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxFrameBytes");
        assertThat(sender.hooks.unexported).containsExactlyElementsOf(sender.hooks.exported);
        assertThat(sender.hooks.exported).hasSize(1);
    }

    @Test
    void aCodecNoLongerUsedLeavesNoKryoOnTheThreadThatUsedIt() {
        // Fuzzing's framesAfterHandshake ran out of memory after 42,785 inputs: each made a
        // codec whose Kryo stayed on the fuzzing thread for good (a FastThreadLocal per codec).
        End from = new End(Point.class);
        End to = new End(Point.class);
        java.lang.ref.WeakReference<ValueCodec> used = new java.lang.ref.WeakReference<>(to.codec);
        assertThat(send(from, to, new Point(1, 2))).containsExactly(new Point(1, 2));
        to = null;
        assertThat(roundTrip(new Point(3, 4), Point.class)).isEqualTo(new Point(3, 4));
        for (int i = 0; i < 50 && used.get() != null; i++) {
            System.gc();
        }
        assertThat(used.get()).as("the codec, no longer used").isNull();
    }

    @Test
    void anAllOrNothingReadTakesBackTheReferencesReadBeforeAFailure() {
        End from = new End(Secret.class);
        End to = new End();
        byte[] bytes = from.write(new Target(), new Target(), new Secret(), new Target());
        to.peerDefines(Secret.class.getName());
        Input in = ValueCodec.newInput();
        in.setBuffer(bytes);
        assertThatThrownBy(() -> to.codec.readAllOrNothing(in, 4, to.session))
                .isInstanceOf(ForbiddenTypeException.class);
        assertThat(to.hooks.imported).containsOnlyKeys(1L, 2L);
        assertThat(to.hooks.unimported).containsExactly(1L, 2L);
        assertThat(from.session.takeCommittedReferences()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aPlainReadKeepsTheReferencesReadBeforeAFailure() {
        End from = new End(Secret.class);
        End to = new End();
        byte[] bytes = from.write(new Target(), new Secret());
        to.peerDefines(Secret.class.getName());
        Input in = ValueCodec.newInput();
        in.setBuffer(bytes);
        assertThatThrownBy(() -> to.codec.read(in, 2, to.session))
                .isInstanceOf(ForbiddenTypeException.class);
        assertThat(to.hooks.imported).containsOnlyKeys(1L);
        assertThat(to.hooks.unimported).isEmpty();
    }

    // ---- one value (an answer's): no array, the same bytes and limits

    @Test
    void oneValueIsWrittenAndReadAsAnArrayOfOneIs() {
        Object[] values = {null, 42, "Paris", new Point(1, 2),
            new ArrayList<>(List.of(new Point(3, 4), "x")), new int[] {1, 2}};
        for (Object value : values) {
            End arrays = new End(Point.class);
            End ones = new End(Point.class);
            Output out = new Output(256, -1);
            ones.codec.writeOne(out, value, ones.session);
            byte[] one = out.toBytes();
            assertThat(one).as("bytes of %s", value).isEqualTo(arrays.write(value));

            End receiver = new End(Point.class);
            ones.sendTypesTo(receiver);
            Input in = ValueCodec.newInput();
            in.setBuffer(one);
            Object read = receiver.codec.readOne(in, receiver.session);
            assertThat(in.position()).isEqualTo(one.length);
            if (value instanceof int[] ints) {
                assertThat((int[]) read).containsExactly(ints);
            } else {
                assertThat(read).isEqualTo(value);
            }
        }
    }

    @Test
    void readingOneValueKeepsEveryLimitOfAMessage() {
        End sender = new End();
        End receiver = new End(dev.jpb.Limits.builder().maxMessageValues(100).build());
        byte[] tooMany = sender.write(Arrays.asList(new Object[100]));
        sender.sendTypesTo(receiver);
        Input in = ValueCodec.newInput();
        in.setBuffer(tooMany);

        assertThatThrownBy(() -> receiver.codec.readOne(in, receiver.session))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageValues (100)");

        // and a truncated value is a protocol error, after which the codec reads on
        byte[] whole = sender.write("a string of some length");
        sender.sendTypesTo(receiver);
        Input cut = ValueCodec.newInput();
        cut.setBuffer(Arrays.copyOf(whole, whole.length - 3));
        assertThatThrownBy(() -> receiver.codec.readOne(cut, receiver.session))
                .isInstanceOf(ProtocolException.class);
        Input next = ValueCodec.newInput();
        next.setBuffer(sender.write(7));
        sender.sendTypesTo(receiver);
        assertThat(receiver.codec.readOne(next, receiver.session)).isEqualTo(7);
    }

    @Test
    void writingOneValueThatCannotTravelUndoesItsExportsAsAnArrayDoes() {
        End sender = new End();
        Output out = new Output(256, -1);

        assertThatThrownBy(() -> sender.codec.writeOne(out,
                List.of(new Target(), new Target(), new Secret()), sender.session))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining(Secret.class.getName());
        assertThat(sender.hooks.exported).hasSize(2);
        assertThat(sender.hooks.unexported)
                .containsExactlyInAnyOrderElementsOf(sender.hooks.exported);

        sender.codec.writeOne(out, new Target(), sender.session);
        assertThat(sender.hooks.exported).hasSize(3);
        assertThat(sender.hooks.unexported).hasSize(2); // a successful write undoes nothing
    }
}
