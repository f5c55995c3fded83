package dev.jpb.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.serializers.DefaultSerializers.StringSerializer;
import dev.jpb.Limits;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TypeTableTest {
    private final TypeRegistry registry = TypeRegistry.of(List.of());

    @Test
    void outboundIdsStartAtSixteenAndGrowByOnePerNewClass() {
        TypeTable table = new TypeTable(100);

        assertThat(TypeTable.FIRST_ID).isEqualTo(16);
        assertThat(table.outboundId(String.class)).isEqualTo(16);
        assertThat(table.outboundId(Integer.class)).isEqualTo(17);
        assertThat(table.outboundId(String.class)).isEqualTo(16);
        assertThat(table.outboundId(int[].class)).isEqualTo(18);
    }

    @Test
    void repeatedLookupsOfOneClassKeepItsIdAndDefineItOnce() {
        TypeTable table = new TypeTable(100);

        assertThat(table.outboundId(String.class)).isEqualTo(16);
        assertThat(table.outboundId(String.class)).isEqualTo(16);
        assertThat(table.outboundId(Long.class)).isEqualTo(17);
        assertThat(table.outboundId(Long.class)).isEqualTo(17);
        assertThat(table.outboundId(String.class)).isEqualTo(16);
        assertThat(table.pendingDefinitions()).containsExactly("java.lang.String", "java.lang.Long");
    }

    @Test
    void inboundRegistrationsAreCachedPerResolver() {
        TypeTable table = new TypeTable(100);
        table.define(16, "java.lang.String", registry);
        table.define(17, "java.lang.Long", registry);
        Object resolver = new Object();
        Object other = new Object();
        Registration r = new Registration(String.class, new StringSerializer(), -1);

        assertThat(table.inboundRegistration(16, resolver)).isNull();
        table.cacheInboundRegistration(16, resolver, r);
        table.cacheInboundRegistration(40, resolver, r); // grows as ids do

        assertThat(table.inboundRegistration(16, resolver)).isSameAs(r);
        assertThat(table.inboundRegistration(40, resolver)).isSameAs(r);
        assertThat(table.inboundRegistration(17, resolver)).isNull();
        assertThat(table.inboundRegistration(3, resolver)).isNull();
        assertThat(table.inboundRegistration(16, other)).isNull(); // another thread's Kryo
        table.cacheInboundRegistration(17, other, r);
        // One connection's work alternates between the executor's threads: both keep theirs.
        assertThat(table.inboundRegistration(16, resolver)).isSameAs(r);
        assertThat(table.inboundRegistration(17, other)).isSameAs(r);
        assertThat(table.inboundRegistration(16, other)).isNull(); // each its own entries
    }

    @Test
    void aFewResolversKeepTheirCachesAndMoreEvictOne() {
        TypeTable table = new TypeTable(100);
        Registration r = new Registration(String.class, new StringSerializer(), -1);
        List<Object> resolvers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Object resolver = new Object();
            resolvers.add(resolver);
            table.cacheInboundRegistration(16, resolver, r);
        }
        for (Object resolver : resolvers) {
            assertThat(table.inboundRegistration(16, resolver)).isSameAs(r);
        }
        Object fifth = new Object();
        table.cacheInboundRegistration(16, fifth, r);
        assertThat(table.inboundRegistration(16, fifth)).isSameAs(r);
        assertThat(resolvers.stream().filter(o -> table.inboundRegistration(16, o) == null))
                .hasSize(1); // one slot given up to it, the others kept
    }

    @Test
    void pendingDefinitionsListNewNamesInIdOrder() {
        TypeTable table = new TypeTable(100);
        table.outboundId(String.class);
        table.outboundId(int[].class);
        table.outboundId(String.class);

        assertThat(table.firstPendingId()).isEqualTo(16);
        assertThat(table.pendingDefinitions()).containsExactly("java.lang.String", "[I");
    }

    @Test
    void pendingDefinitionsAreDrainedOnce() {
        TypeTable table = new TypeTable(100);
        table.outboundId(String.class);
        table.outboundId(Long.class);
        table.clearPendingDefinitions();

        assertThat(table.pendingDefinitions()).isEmpty();

        table.outboundId(String.class); // already defined: nothing new to send
        assertThat(table.pendingDefinitions()).isEmpty();

        assertThat(table.outboundId(UUID.class)).isEqualTo(18);
        assertThat(table.firstPendingId()).isEqualTo(18);
        assertThat(table.pendingDefinitions()).containsExactly("java.util.UUID");
    }

    @Test
    void nothingPendingOnAFreshTable() {
        TypeTable table = new TypeTable(100);

        assertThat(table.pendingDefinitions()).isEmpty();
        assertThat(table.firstPendingId()).isEqualTo(16);
    }

    @Test
    void peerDefinitionsMapIdsToAllowedClasses() {
        TypeTable table = new TypeTable(100);

        assertThat(table.define(16, "java.lang.String", registry)).isNull();
        assertThat(table.define(17, "[I", registry)).isNull();

        assertThat(table.inbound(16)).isEqualTo(String.class);
        assertThat(table.inbound(17)).isEqualTo(int[].class);
    }

    @Test
    void undefinedIdsAreUnknown() {
        TypeTable table = new TypeTable(100);
        table.define(16, "java.lang.String", registry);

        assertThat(table.inbound(15)).isNull();
        assertThat(table.inbound(0)).isNull();
        assertThat(table.inbound(17)).isNull();
        assertThat(table.inbound(-1)).isNull();
        assertThat(table.inbound(Integer.MAX_VALUE)).isNull();
    }

    @Test
    void definitionOutOfOrderIsAProblem() {
        TypeTable table = new TypeTable(100);

        assertThat(table.define(17, "java.lang.String", registry))
                .isEqualTo("type id 17 defined out of order (expected 16)");
        assertThat(table.define(15, "java.lang.String", registry))
                .contains("out of order (expected 16)");
        assertThat(table.inbound(17)).isNull();
    }

    @Test
    void redefiningAnIdIsAProblem() {
        TypeTable table = new TypeTable(100);
        table.define(16, "java.lang.String", registry);

        assertThat(table.define(16, "java.lang.Integer", registry))
                .isEqualTo("type id 16 defined out of order (expected 17)");
        assertThat(table.inbound(16)).isEqualTo(String.class);
    }

    @Test
    void definitionsPastTheMaximumAreAProblem() {
        TypeTable table = new TypeTable(2);

        assertThat(table.define(16, "java.lang.String", registry)).isNull();
        assertThat(table.define(17, "java.lang.Long", registry)).isNull();
        assertThat(table.define(18, "java.lang.Short", registry))
                .startsWith("peer defined more than maxPeerTypes (2) types");
        assertThat(table.inbound(18)).isNull();
    }

    @Test
    void theDefaultLimitsAllowFourThousandNinetySixNames() {
        TypeTable table = new TypeTable(Limits.defaults());
        for (int i = 0; i < 4096; i++) {
            assertThat(table.define(16 + i, "com.acme.T" + i, registry)).isNull();
        }

        assertThat(table.define(16 + 4096, "com.acme.OneTooMany", registry))
                .contains("maxPeerTypes (4096)");
    }

    @Test
    void aNameLongerThanMaxTypeNameLengthIsAProblemNamingTheLimit() {
        TypeTable table = new TypeTable(100, 64);
        String longest = "com.acme." + "x".repeat(55);

        assertThat(table.define(16, longest, registry)).isNull();
        assertThat(table.define(17, longest + "y", registry))
                .contains("65 chars").contains("maxTypeNameLength (64)");
        assertThat(table.inbound(17)).isNull();
    }

    @Test
    void aLongForbiddenNameIsKeptOnlyAbbreviated() {
        TypeTable table = new TypeTable(100, 65_535);
        String name = "com.acme." + "x".repeat(60_000);

        assertThat(table.define(16, name, registry)).isNull();

        assertThat((String) table.inbound(16)).startsWith("com.acme.xxx")
                .endsWith("(60009 chars)").hasSizeLessThan(TypeTable.KEPT_NAME_CHARS + 30);
    }

    @Test
    void aForbiddenNameIsRecordedAsItsName() {
        TypeTable table = new TypeTable(100);

        assertThat(table.define(16, "com.acme.Secret", registry)).isNull();
        assertThat(table.define(17, "java.lang.Thread", registry)).isNull();
        assertThat(table.define(18, "java.lang.String", registry)).isNull();

        assertThat(table.inbound(16)).isEqualTo("com.acme.Secret");
        assertThat(table.inbound(17)).isEqualTo("java.lang.Thread");
        assertThat(table.inbound(18)).isEqualTo(String.class);
    }

    @Test
    void outboundAndInboundIdsAreIndependent() {
        TypeTable table = new TypeTable(100);
        table.outboundId(Long.class);

        table.define(16, "java.lang.String", registry);

        assertThat(table.outboundId(Long.class)).isEqualTo(16);
        assertThat(table.inbound(16)).isEqualTo(String.class);
    }
}
