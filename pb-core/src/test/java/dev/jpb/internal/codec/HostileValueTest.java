package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.Copyable;
import dev.jpb.LimitExceededException;
import dev.jpb.Limits;
import dev.jpb.PbError;
import dev.jpb.ProtocolException;
import dev.jpb.internal.codec.ValueCodecTest.End;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Values a hostile peer crafts so that decoding them costs far more than their bytes: shared
 * references that hash exponentially, hash codes that collide, counts that claim the frame
 * again and again, cheap tokens that build expensive objects. Each is refused with a typed
 * error naming its limit, in time proportional to its bytes. The timeouts run in a separate
 * thread: a decoder stuck hashing 2^59 values never looks at its interrupt flag.
 */
@Timeout(value = 20, threadMode = ThreadMode.SEPARATE_THREAD)
class HostileValueTest {
    static final int LIST = PbClassResolver.LIST;
    static final int SET = PbClassResolver.SET;
    static final int MAP = PbClassResolver.MAP;

    record Pair(Object left, Object right) implements Copyable {
    }

    /** L0 = [L1, L1], L1 = [L2, L2], ...: {@code levels} lists, 2^levels paths to the last. */
    static List<Object> sharedLists(int levels) {
        List<Object> below = new ArrayList<>();
        for (int i = 1; i < levels; i++) {
            List<Object> up = new ArrayList<>(2);
            up.add(below);
            up.add(below);
            below = up;
        }
        return below;
    }

    /** The bytes of {@code [value]} sent by {@code from} to {@code to}, as a SET {value}. */
    static byte[] asSetOfOne(End from, End to, Object value) {
        byte[] bytes = from.write(List.of(value));
        from.sendTypesTo(to);
        assertThat(bytes[0]).isEqualTo((byte) LIST);
        bytes[0] = SET;
        return bytes;
    }

    // ---- 1. work: hashing shared references and colliding hash codes

    @Test
    void aSetHoldingSharedListsSixtyLevelsDeepIsRefusedNamingMaxMessageWork() {
        End sender = new End();
        End receiver = new End();
        byte[] bytes = asSetOfOne(sender, receiver, sharedLists(60));
        assertThat(bytes.length).isLessThan(400);

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork");
    }

    @Test
    void aMapKeyOfSharedListsIsRefusedNamingMaxMessageWork() {
        End sender = new End();
        End receiver = new End();
        byte[] bytes = sender.write(Arrays.asList(sharedLists(60), null));
        bytes[0] = MAP;
        bytes[2] = 1; // one entry: the lists as key, null as value

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork");
    }

    @Test
    void aSetHoldingSharedRecordsIsRefusedNamingMaxMessageWork() {
        Object pair = "bottom";
        for (int i = 0; i < 60; i++) {
            pair = new Pair(pair, pair);
        }
        End sender = new End(Pair.class);
        End receiver = new End(Pair.class);
        byte[] bytes = asSetOfOne(sender, receiver, pair);

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork");
    }

    @Test
    void aSetOfListsWhoseHashCodesAllCollideIsRefusedNamingMaxMessageWork() {
        // [k, c - 31k] all hash to 31 * (31 + k) + c - 31k = 961 + c
        List<Object> colliding = new ArrayList<>();
        for (int k = 0; k < 100_000; k++) {
            colliding.add(List.of(k, 1_000_000 - 31 * k));
        }
        End sender = new End();
        End receiver = new End();
        byte[] bytes = sender.write(colliding);
        sender.sendTypesTo(receiver);
        bytes[0] = SET;

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork");
    }

    @Test
    void sharedListsThatNothingHashesArriveShared() {
        End sender = new End();
        End receiver = new End();
        byte[] bytes = sender.write(sharedLists(60));
        sender.sendTypesTo(receiver);

        List<?> top = (List<?>) receiver.read(bytes, 1)[0];

        assertThat(top.get(0)).isSameAs(top.get(1));
    }

    @Test
    void largeSetsAndMapsWithoutSharingOrCollisionsArriveWhole() {
        List<Object> lists = new ArrayList<>();
        for (int k = 0; k < 100_000; k++) {
            lists.add(List.of(k, k));
        }
        End sender = new End();
        End receiver = new End();
        Set<Object> set = new java.util.LinkedHashSet<>(lists);
        Map<Object, Object> map = new java.util.LinkedHashMap<>();
        for (int k = 0; k < 100_000; k++) {
            map.put("key" + k, k);
        }

        Object[] back = ValueCodecTest.send(sender, receiver, set, map);

        assertThat(back[0]).isEqualTo(set);
        assertThat(back[1]).isEqualTo(map);
    }

    @Test
    void sharedListsInASetWithinTheBudgetArriveWhole() {
        End sender = new End();
        End receiver = new End();
        byte[] bytes = asSetOfOne(sender, receiver, sharedLists(16)); // weighs 2^16

        Set<?> set = (Set<?>) receiver.read(bytes, 1)[0];

        assertThat(set).hasSize(1);
        assertThat(set.iterator().next()).isEqualTo(sharedLists(16));
    }

    @Test
    void stringsWithCollidingHashCodesCostOnlyTheirWeight() {
        // "Aa" and "BB" hash alike, so do all 2^14 strings made of 14 of them
        List<String> colliding = new ArrayList<>(List.of(""));
        for (int i = 0; i < 14; i++) {
            List<String> longer = new ArrayList<>();
            for (String s : colliding) {
                longer.add(s + "Aa");
                longer.add(s + "BB");
            }
            colliding = longer;
        }
        Set<String> set = new java.util.LinkedHashSet<>(colliding);
        End receiver = new End(Limits.builder().maxMessageWork(colliding.size()).build());

        assertThat(ValueCodecTest.send(new End(), receiver, set)[0]).isEqualTo(set);
    }

    @Test
    void maxMessageWorkIsTheReceiversAndCountsEveryHashedValue() {
        Set<Integer> thousand = new java.util.LinkedHashSet<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(i);
        }
        Set<Integer> more = new java.util.LinkedHashSet<>(thousand);
        more.add(1000);
        End sender = new End();
        End receiver = new End(Limits.builder().maxMessageWork(1000).build());

        assertThat(ValueCodecTest.send(sender, receiver, thousand)[0]).isEqualTo(thousand);
        byte[] bytes = sender.write(more);
        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork (1000)");
        assertThat(receiver.read(sender.write(thousand), 1)[0]).isEqualTo(thousand);
    }

    @Test
    void theWorkOfSeveralSetsInOneMessageAddsUp() {
        Set<Integer> six = Set.of(1, 2, 3, 4, 5, 6);
        End sender = new End();
        End receiver = new End(Limits.builder().maxMessageWork(10).build());

        assertThat(ValueCodecTest.send(sender, receiver, six)[0]).isEqualTo(six);
        byte[] bytes = sender.write(six, six.stream().map(i -> i + 10).collect(
                java.util.stream.Collectors.toSet()));
        assertThatThrownBy(() -> receiver.read(bytes, 2))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork (10)");
    }

    // ---- 2. allocation justified by bytes

    @Test
    void nestedListsEachClaimingTheWholeFrameAreRefusedBeforeAllocating() {
        int claimed = 1_000_000;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < 63; i++) {
            bytes.write(LIST);
            bytes.write(1); // a new object
            writeVarint(bytes, claimed);
        }
        bytes.writeBytes(new byte[claimed]); // enough bytes for any one of the counts
        End receiver = new End(100);

        assertThatThrownBy(() -> receiver.read(bytes.toByteArray(), 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declared");
    }

    @Test
    void aBooleanArrayClaimingMoreThanTheFrameIsRefusedBeforeAllocating() {
        End receiver = new End();
        receiver.peerDefines("[Z");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writeVarint(bytes, TypeTable.FIRST_ID);
        bytes.write(1); // a new object
        writeVarint(bytes, Integer.MAX_VALUE); // length + 1

        assertThatThrownBy(() -> receiver.read(bytes.toByteArray(), 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("bytes left");
        boolean[] flags = {true, false, true};
        assertThat(ValueCodecTest.send(new End(), new End(), (Object) flags)[0])
                .isEqualTo(flags);
    }

    // ---- 3. cheap tokens, expensive objects

    @Test
    void maxMessageValuesCountsEveryElementAndTheContainer() {
        End sender = new End();
        End receiver = new End(Limits.builder().maxMessageValues(100).build());

        assertThat(ValueCodecTest.send(sender, receiver, Arrays.asList(new Object[99]))[0])
                .asList().hasSize(99);
        byte[] bytes = sender.write(Arrays.asList(new Object[100]));
        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("declares 100 elements")
                .hasMessageContaining("maxMessageValues (100)");
        byte[] fields = sender.write(Arrays.asList(new Object[50]),
                Arrays.asList(new Object[50]));
        assertThatThrownBy(() -> receiver.read(fields, 2))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageValues (100)");
    }

    @Test
    void moreValuesThanMaxMessageValuesAreRefusedNamingIt() {
        End sender = new End();
        End receiver = new End();
        byte[] bytes = sender.write(Arrays.asList(new Object[1_100_000]));

        assertThatThrownBy(() -> receiver.read(bytes, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageValues");
    }

    @Test
    void aBackReferenceToAnObjectNeverSentIsAProtocolErrorNamingIt() {
        // found by pb-fuzz: LIST, then reference id 40 + 2 where no object was read yet
        byte[] forged = {(byte) LIST, 42};
        byte[] negative = {(byte) LIST, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};

        for (byte[] bytes : List.of(forged, negative)) {
            assertThatThrownBy(() -> new End().read(bytes, 1))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("back-reference to object")
                    .hasMessageContaining("which the message has not sent")
                    .hasNoCause();
        }
    }

    record Holder(List<Object> items) implements Copyable {
    }

    @Test
    void aRecordComponentOfAnotherTypeIsAProtocolErrorNamingTheComponent() {
        // found by pb-fuzz: the constructor call failed with a ClassCastException
        End sender = new End(Holder.class);
        End receiver = new End(Holder.class);
        byte[] holder = sender.write(new Holder(new ArrayList<>())); // Holder, NOT_NULL, LIST..
        byte[] string = sender.write("x");
        sender.sendTypesTo(receiver);
        byte[] forged = new byte[2 + string.length];
        System.arraycopy(holder, 0, forged, 0, 2);
        System.arraycopy(string, 0, forged, 2, string.length); // ..a String in the List's place

        assertThatThrownBy(() -> receiver.read(forged, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("component items is declared java.util.List")
                .hasMessageContaining("holds a java.lang.String");
    }

    @Test
    void aSetHoldingACycleIsRefusedNamingMaxMessageWorkBeforeHashing() {
        // found by pb-fuzz: 210 bytes of lists closing cycles inside a set took 35 s of
        // hashing to overflow the stack. Here: SET {L} where L = [L].
        byte[] cyclicSet = {(byte) SET, 1, 1, (byte) LIST, 1, 1, (byte) LIST, 3};
        byte[] cyclicList = {(byte) LIST, 1, 1, (byte) LIST, 2};

        assertThatThrownBy(() -> new End().read(cyclicSet, 1))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxMessageWork");
        List<?> list = (List<?>) new End().read(cyclicList, 1)[0]; // nothing hashes it: fine
        assertThat(list.get(0)).isSameAs(list);
    }

    record Link(String name, Link next) implements Copyable {
    }

    @Test
    void aBackReferenceOfAnotherTypeInAFinalComponentIsAProtocolError() {
        // found by pb-fuzz: next (a final record type) resolved to an earlier list
        End sender = new End(Link.class);
        End receiver = new End(Link.class);
        byte[] valid = sender.write(new ArrayList<>(), new Link("a", new Link("b", null)));
        sender.sendTypesTo(receiver);
        // [LIST, NOT_NULL, 0] [Link, NOT_NULL, name: NOT_NULL "a"] then next: object 0, the list
        byte[] forged = Arrays.copyOf(valid, 9);
        forged[8] = 2;

        assertThat(receiver.read(valid, 2)[1]).isEqualTo(new Link("a", new Link("b", null)));
        assertThatThrownBy(() -> receiver.read(forged, 2))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("component next is declared " + Link.class.getName());
    }

    enum Suit implements Copyable {
        HEARTS
    }

    @Test
    void anEnumConstantWithoutAKnownNameIsAProtocolErrorNamingTheEnum() {
        // found by pb-fuzz: a null name reached Enum.valueOf, a NullPointerException
        End sender = new End(Suit.class);
        End receiver = new End(Suit.class);
        byte[] hearts = sender.write(Suit.HEARTS); // the type id, then the name
        sender.sendTypesTo(receiver);
        byte[] noName = {hearts[0], (byte) 0x80};
        byte[] unknown = {hearts[0], 'X', (byte) ('Y' | 0x80)}; // ASCII: the last char flagged

        assertThat(receiver.read(hearts, 1)).containsExactly(Suit.HEARTS);
        assertThatThrownBy(() -> receiver.read(noName, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(Suit.class.getName() + " arrived without a name");
        assertThatThrownBy(() -> receiver.read(unknown, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("has no constant XY;");
    }

    @Test
    void receivedErrorsAreBuiltWithoutAStackTrace() {
        Object[] back = ValueCodecTest.send(new End(), new End(), new PbError("boom"));

        PbError error = (PbError) back[0];
        assertThat(error).hasMessage("boom");
        assertThat(error.getStackTrace()).isEmpty();
        assertThat(new PbError("local").getStackTrace()).isNotEmpty();
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
