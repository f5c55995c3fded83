package dev.jpb.internal.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.ForbiddenTypeException;
import dev.jpb.LimitExceededException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.twisted.banana.Banana;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Jelly against the bytes Twisted 22.4 produced for the same values (banana-captured.txt). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JellyTest {
    record Point(int x, int y) {
    }

    private static final JellyPeer NO_REFERENCES = new JellyPeer() {
        @Override
        public Object export(Referenceable object) {
            throw new AssertionError();
        }

        @Override
        public Object luidOf(RemoteReference ref) {
            return null;
        }

        @Override
        public RemoteReference importReference(Object luid) {
            throw new AssertionError();
        }

        @Override
        public Object localObject(Object luid) {
            return null;
        }
    };

    private final Jelly jelly = new Jelly(
            new CopyRegistry.Builder().copy("shared.Point", Point.class).build(), NO_REFERENCES);

    private static Map<String, String> captured() throws IOException {
        Map<String, String> cases = new LinkedHashMap<>();
        try (InputStream in = JellyTest.class.getResourceAsStream("/banana-captured.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .split("\n")) {
                if (!line.isBlank()) {
                    cases.put(line.split(" ")[0], line.split(" ")[1]);
                }
            }
        }
        return cases;
    }

    private static String hex(Object sexp) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Banana.encode(sexp, buf, true, BananaLimits.DEFAULTS);
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static Object sexp(String hex) {
        BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULTS);
        decoder.selectPbDialect();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        channel.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
        Object o = channel.readInbound();
        channel.finishAndReleaseAll();
        return o;
    }

    @Test
    void valuesJellyAsTwistedJelliesThem() throws IOException {
        Map<String, String> c = captured();
        assertThat(hex(jelly.jelly(null))).isEqualTo(c.get("jelly_none"));
        assertThat(hex(jelly.jelly(true))).isEqualTo(c.get("jelly_true"));
        assertThat(hex(jelly.jelly(false))).isEqualTo(c.get("jelly_false"));
        assertThat(hex(jelly.jelly("h\u00e9llo"))).isEqualTo(c.get("jelly_str"));
        assertThat(hex(jelly.jelly("raw".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo(c.get("jelly_bytes"));
        assertThat(hex(jelly.jellyTuple(new Object[] {1, "a"}))).isEqualTo(c.get("jelly_tuple"));
        List<Object> list = new ArrayList<>();
        list.add(1);
        list.add(2.0);
        list.add(null);
        assertThat(hex(jelly.jelly(list))).isEqualTo(c.get("jelly_list"));
        assertThat(hex(jelly.jelly(Map.of("k", 1)))).isEqualTo(c.get("jelly_dict"));
        assertThat(hex(jelly.jelly(new Point(1, 2)))).isEqualTo(c.get("jelly_point"));
        assertThat(hex(jelly.jelly(BigInteger.TWO.pow(70)))).isEqualTo(c.get("jelly_bigint"));
    }

    @Test
    void sharedAndCyclicStructuresUseReferencesAsTwistedDoes() throws IOException {
        Map<String, String> c = captured();
        List<Integer> shared = new ArrayList<>(List.of(1, 2));
        assertThat(hex(jelly.jelly(List.of(shared, shared)))).isEqualTo(c.get("jelly_shared"));
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        assertThat(hex(jelly.jelly(cyclic))).isEqualTo(c.get("jelly_cyclic"));
    }

    @Test
    void twistedBytesUnjellyToTheJavaValues() throws IOException {
        Map<String, String> c = captured();
        assertThat(jelly.unjelly(sexp(c.get("jelly_none")))).isNull();
        assertThat(jelly.unjelly(sexp(c.get("jelly_true")))).isEqualTo(true);
        assertThat(jelly.unjelly(sexp(c.get("jelly_false")))).isEqualTo(false);
        assertThat(jelly.unjelly(sexp(c.get("jelly_str")))).isEqualTo("h\u00e9llo");
        assertThat((byte[]) jelly.unjelly(sexp(c.get("jelly_bytes"))))
                .isEqualTo("raw".getBytes(StandardCharsets.US_ASCII));
        assertThat(jelly.unjelly(sexp(c.get("jelly_tuple")))).isEqualTo(List.of(1, "a"));
        assertThat(jelly.unjelly(sexp(c.get("jelly_dict")))).isEqualTo(Map.of("k", 1));
        assertThat(jelly.unjelly(sexp(c.get("jelly_point")))).isEqualTo(new Point(1, 2));
        assertThat(jelly.unjelly(sexp(c.get("jelly_bigint")))).isEqualTo(BigInteger.TWO.pow(70));
    }

    @Test
    void sharedAndCyclicStructuresArriveShared() throws IOException {
        Map<String, String> c = captured();
        List<?> shared = (List<?>) jelly.unjelly(sexp(c.get("jelly_shared")));
        assertThat(shared).hasSize(2);
        assertThat(shared.get(0)).isSameAs(shared.get(1)).isEqualTo(List.of(1, 2));
        List<?> cyclic = (List<?>) jelly.unjelly(sexp(c.get("jelly_cyclic")));
        assertThat(cyclic).hasSize(1);
        assertThat(cyclic.get(0)).isSameAs(cyclic);
    }

    @Test
    void unregisteredCopiesAreRefusedWithTheirName() throws IOException {
        Jelly bare = new Jelly(new CopyRegistry.Builder().build(), NO_REFERENCES);
        assertThatThrownBy(() -> bare.unjelly(sexp(captured().get("jelly_point"))))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("shared.Point")
                .hasMessageContaining("registerCopy");
        assertThatThrownBy(() -> bare.jelly(new Point(1, 2)))
                .isInstanceOf(ForbiddenTypeException.class)
                .hasMessageContaining("registerCopy");
        assertThatThrownBy(() -> bare.jelly(new Object()))
                .isInstanceOf(ForbiddenTypeException.class);
    }

    @Test
    void aSetHoldingACyclicListIsRefusedBeforeHashing() {
        // pb-fuzz seed hostile-set-cyclic-list: hashing the list that holds itself overflowed
        // the stack inside Jelly
        List<Object> sexp = List.of("set", List.of("reference", 1,
                List.of("list", List.of("dereference", 1))));
        assertThatThrownBy(() -> jelly.unjelly(sexp))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("to hash");
    }

    @Test
    void aSetOfSharedTuplesIsRefusedBeforeHashingExponentially() {
        // pb-fuzz seed hostile-set-shared-tuples: 60 tuples each holding the previous twice
        // are 2^60 steps of hashing for a few kilobytes
        List<Object> sexp = new ArrayList<>(List.of("list",
                List.of("reference", 1, List.of("tuple", 0, 0))));
        for (int i = 2; i <= 60; i++) {
            sexp.add(List.of("reference", i, List.of("tuple", List.of("dereference", i - 1),
                    List.of("dereference", i - 1))));
        }
        sexp.add(List.of("set", List.of("dereference", 60)));
        assertThatThrownBy(() -> jelly.unjelly(sexp))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("shared or cyclic tuples");
    }

    @Test
    void aSetOfPlainValuesAndSmallTuplesStillDecodes() {
        Object set = jelly.unjelly(List.of("set", 1, List.of("unicode", "a".getBytes(
                StandardCharsets.UTF_8)), List.of("tuple", 2, 3)));
        assertThat(set).isEqualTo(new LinkedHashSet<>(List.of(1, "a", List.of(2, 3))));
    }
    @Test
    void anEmptyDictTakesTheFastPathAndKeepsTwistedsBytes() {
        // Twisted jellies {} as ["dictionary"]: a list of 1 (01 80), vocabulary word 5 (05 87).
        assertThat(hex(jelly.jelly(Map.of()))).isEqualTo("01800587");
        assertThat(hex(jelly.jelly(new LinkedHashMap<>()))).isEqualTo("01800587");
        Object back = jelly.unjelly(sexp("01800587"));
        assertThat(back).isInstanceOf(Map.class);
        @SuppressWarnings("unchecked")
        Map<Object, Object> map = (Map<Object, Object>) back;
        map.put("k", 1); // a fresh, mutable dict each time
        assertThat(jelly.unjelly(sexp("01800587"))).isEqualTo(Map.of());
    }

    @Test
    void plainValuesUnjellyAsThemselvesWithoutState() {
        byte[] bytes = {1, 2};
        assertThat(jelly.unjelly(42)).isEqualTo(42);
        assertThat(jelly.unjelly(1L << 40)).isEqualTo(1L << 40);
        assertThat(jelly.unjelly(2.5)).isEqualTo(2.5);
        assertThat(jelly.unjelly(bytes)).isSameAs(bytes);
        assertThat(jelly.unjelly(BigInteger.TWO.pow(70))).isEqualTo(BigInteger.TWO.pow(70));
        assertThat(jelly.unjelly("None")).isEqualTo("None".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void referencesStillResolveAfterAPlainPrefix() throws IOException {
        // The reference table is made on the first reference: values before it need none.
        Map<String, String> c = captured();
        List<Object> tuple = new ArrayList<>(List.of("tuple", 7, List.of("None")));
        tuple.add(sexp(c.get("jelly_shared")));
        List<?> back = (List<?>) jelly.unjelly(tuple);
        assertThat(back.get(0)).isEqualTo(7);
        assertThat(back.get(1)).isNull();
        List<?> shared = (List<?>) back.get(2);
        assertThat(shared.get(0)).isSameAs(shared.get(1));
        assertThatThrownBy(() -> jelly.unjelly(List.of("dereference", 1)))
                .hasMessageContaining("before its reference");
    }
}
