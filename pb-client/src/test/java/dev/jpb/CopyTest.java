package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.jpb.client.PbClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class CopyTest {
    public record Address(String street, int number) implements Copyable {
    }

    public record Person(String name, int age, List<Address> addresses, Color favourite)
            implements Copyable {
    }

    public enum Color implements Copyable {
        RED, GREEN {
            @Override
            public String toString() {
                return "green!";
            }
        }
    }

    /** A plain class with a cycle back to itself through a list. */
    public static final class Node implements Copyable {
        String name;
        Node next;
        List<Node> children = new ArrayList<>();

        Node() {
        }

        Node(String name) {
            this.name = name;
        }
    }

    public record Unregistered(int x) implements Copyable {
    }

    public record Box<T>(T value) implements Copyable {
    }

    public record BoxHolder(Box<String> box, List<Box<Integer>> boxes) implements Copyable {
    }

    public static class Echo extends Root {
        public Object remote_echo(Object o) {
            return o;
        }

        public String remote_describe(Object o) {
            return o == null ? "null" : o.getClass().getName();
        }

        public Unregistered remote_bad() {
            return new Unregistered(1);
        }

        public boolean remote_sharedInside(List<Object> list) {
            return list.get(0) == list.get(1);
        }
    }

    private static final Class<?>[] TYPES = {Person.class, Address.class, Color.class, Node.class,
        Box.class, BoxHolder.class};

    @Test
    void recordsClassesAndEnumsRoundTrip() throws Exception {
        try (Loopback lo = Loopback.local(new Echo(), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            Person p = new Person("Ada", 36,
                    List.of(new Address("Main", 1), new Address("High", 2)), Color.GREEN);
            assertThat(get(root.<Person>callRemote("echo", p))).isEqualTo(p);
            assertThat(get(root.<Color>callRemote("echo", Color.GREEN))).isSameAs(Color.GREEN);
            assertThat(get(root.<Object>callRemote("echo", (Object) new Address[] {
                new Address("a", 1)})))
                    .isInstanceOf(Address[].class);
        }
    }

    @Test
    void genericRecordsRoundTripWhereverTheyAreHeld() throws Exception {
        try (Loopback lo = Loopback.local(new Echo(), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            BoxHolder h = new BoxHolder(new Box<>("s"), List.of(new Box<>(1), new Box<>(2)));
            assertThat(get(root.<BoxHolder>callRemote("echo", h))).isEqualTo(h);
            assertThat(get(root.<Box<String>>callRemote("echo", new Box<>("top"))))
                    .isEqualTo(new Box<>("top"));
        }
    }

    @Test
    void manyLongTypeNamesAreSplitAcrossFramesThePeerAccepts() throws Exception {
        Limits small = Limits.builder().maxFrameBytes(1024).build();
        try (Loopback lo = Loopback.local(new Echo(), b -> b.limits(small), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            Object deep = "x";
            List<Object> arrays = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // names "[[[...Ljava.lang.String;" up to 60 bytes
                deep = java.lang.reflect.Array.newInstance(deep.getClass(), 0);
                arrays.add(deep);
            }
            assertThat(get(root.<List<Object>>callRemote("echo", arrays))).hasSize(40);
        }
    }

    @Test
    void sharedAndCyclicReferencesSurviveOneMessage() throws Exception {
        try (Loopback lo = Loopback.local(new Echo(), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            Node a = new Node("a");
            Node b = new Node("b");
            a.next = b;
            b.next = a;
            a.children.add(a);
            a.children.add(b);
            Node back = get(root.callRemote("echo", a));
            assertThat(back.name).isEqualTo("a");
            assertThat(back.next.next).isSameAs(back);
            assertThat(back.children.get(0)).isSameAs(back);
            assertThat(back.children.get(1)).isSameAs(back.next);
            Address shared = new Address("s", 1);
            assertThat(get(root.<Boolean>callRemote("sharedInside",
                    Arrays.asList(shared, shared)))).isTrue();
        }
    }

    @Test
    void everyCommonCollectionArrivesAsAPlainJdkCollection() throws Exception {
        try (Loopback lo = Loopback.local(new Echo(), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            List<Object> lists = List.of(List.of(1, 2), new ArrayList<>(List.of(1, 2)),
                    new LinkedList<>(List.of(1, 2)), Arrays.asList(1, 2),
                    Collections.unmodifiableList(List.of(1, 2)), ImmutableList.of(1, 2),
                    new CopyOnWriteArrayList<>(List.of(1, 2)), List.of(1, 2, 3).subList(0, 2));
            for (Object list : lists) {
                Object back = get(root.callRemote("echo", list));
                assertThat(back).as("%s", list.getClass()).isInstanceOf(ArrayList.class)
                        .isEqualTo(List.of(1, 2));
            }
            for (Object set : List.of(Set.of("x"), new TreeSet<>(Set.of("x")),
                    ImmutableSet.of("x"), new LinkedHashSet<>(Set.of("x")))) {
                assertThat(get(root.<Object>callRemote("echo", set)))
                        .isInstanceOf(LinkedHashSet.class).isEqualTo(Set.of("x"));
            }
            for (Object map : List.of(Map.of("k", 1), new HashMap<>(Map.of("k", 1)),
                    new TreeMap<>(Map.of("k", 1)), ImmutableMap.of("k", 1),
                    new ConcurrentHashMap<>(Map.of("k", 1)))) {
                assertThat(get(root.<Object>callRemote("echo", map)))
                        .isInstanceOf(java.util.LinkedHashMap.class).isEqualTo(Map.of("k", 1));
            }
        }
    }

    @Test
    void safeJdkValueTypesRoundTrip() throws Exception {
        try (Loopback lo = Loopback.local(new Echo())) {
            RemoteReference root = get(lo.client().getRootObject());
            List<Object> values = List.of(true, (byte) 1, (short) 2, 'c', 3, 4L, 5.5f, 6.5,
                    "str", new BigInteger("123456789012345678901234567890"),
                    new BigDecimal("3.14159"), UUID.randomUUID(), Optional.of("o"),
                    Optional.empty(), Duration.ofSeconds(5), Instant.ofEpochSecond(1000),
                    LocalDate.of(2026, 1, 2), LocalDateTime.of(2026, 1, 2, 3, 4),
                    ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris")),
                    ZoneId.of("Europe/Paris"));
            for (Object v : values) {
                assertThat(get(root.<Object>callRemote("echo", v))).as("%s", v).isEqualTo(v);
            }
            byte[] bytes = {1, 2, 3};
            assertThat(get(root.<byte[]>callRemote("echo", (Object) bytes))).isEqualTo(bytes);
            int[] ints = {1, 2, 3};
            assertThat(get(root.<int[]>callRemote("echo", (Object) ints))).isEqualTo(ints);
            String[] strings = {"a", null};
            assertThat(get(root.<String[]>callRemote("echo", (Object) strings)))
                    .isEqualTo(strings);
        }
    }

    @Test
    void senderRefusesAnUnregisteredTypeAtOnceAndNamesTheFix() throws Exception {
        try (Loopback lo = Loopback.local(new Echo(), TYPES)) {
            RemoteReference root = get(lo.client().getRootObject());
            assertThatThrownBy(() -> get(root.callRemote("echo", new Unregistered(1))))
                    .cause().isInstanceOf(ForbiddenTypeException.class)
                    .hasMessageContaining(Unregistered.class.getName())
                    .hasMessageContaining("register(Unregistered.class)");
            // the server may not send one either: the caller learns why
            assertThatThrownBy(() -> get(root.callRemote("bad")))
                    .cause().isInstanceOf(ForbiddenTypeException.class)
                    .hasMessageContaining(Unregistered.class.getName());
            assertThat(get(root.<String>callRemote("describe", "still fine")))
                    .isEqualTo("java.lang.String");
        }
    }

    @Test
    void receiverAnswersForbiddenTypeAndKeepsTheConnection() throws Exception {
        // the client allows Person, the server does not
        try (Loopback lo = Loopback.local(new Echo())) {
            PbClient client = lo.client(b -> b.register(TYPES));
            RemoteReference root = get(client.getRootObject());
            Person p = new Person("Ada", 1, List.of(), Color.RED);
            assertThatThrownBy(() -> get(root.callRemote("echo", p)))
                    .cause().isInstanceOf(ForbiddenTypeException.class)
                    .hasMessageContaining(Person.class.getName());
            // the type id is known now and refused again, cleanly
            assertThatThrownBy(() -> get(root.callRemote("echo", p)))
                    .cause().isInstanceOf(ForbiddenTypeException.class);
            assertThat(client.connection().isOpen()).isTrue();
            assertThat(get(root.<String>callRemote("describe", 1))).isEqualTo("java.lang.Integer");
        }
    }

    @Test
    void registrationOrderNeedNotMatch() throws Exception {
        Class<?>[] reversed = {Node.class, Color.class, Address.class, Person.class};
        try (Loopback lo = Loopback.local(new Echo(), reversed)) {
            PbClient client = lo.client(b -> PbClient.builder().register(TYPES));
            RemoteReference root = get(client.getRootObject());
            Address a = new Address("x", 9);
            assertThat(get(root.<Address>callRemote("echo", a))).isEqualTo(a);
            Person p = new Person("B", 2, List.of(a), Color.RED);
            assertThat(get(root.<Person>callRemote("echo", p))).isEqualTo(p);
        }
    }

    @Test
    void nonCopyableClassesCannotBeRegistered() {
        assertThatThrownBy(() -> dev.jpb.server.PbServer.builder().root(new Echo())
                .register(Object.class).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Copyable");
    }

    public record TypedReferenceField(RemoteReference ref) implements Copyable {
    }

    @Test
    void copiesWithReferenceTypedFieldsAreRefusedAtRegistration() {
        assertThatThrownBy(() -> PbClient.builder().register(TypedReferenceField.class)
                .connect("127.0.0.1", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("field ref").hasMessageContaining("as Object");
    }
}
