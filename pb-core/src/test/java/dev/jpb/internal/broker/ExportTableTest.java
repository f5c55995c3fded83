package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.LimitExceededException;
import dev.jpb.Referenceable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ExportTableTest {
    static final class Thing extends Referenceable {
    }

    private final ExportTable table = new ExportTable(100);

    @Test
    void theSameObjectKeepsItsIdAndDistinctObjectsGetDistinctIds() {
        Thing a = new Thing();
        Thing b = new Thing();

        long idA = table.export(a);
        long idB = table.export(b);

        assertThat(table.export(a)).isEqualTo(idA);
        assertThat(idB).isNotEqualTo(idA);
        assertThat(table.get(idA)).isSameAs(a);
        assertThat(table.get(idB)).isSameAs(b);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void idsStartAtOne() {
        assertThat(table.export(new Thing())).isEqualTo(1);
    }

    @Test
    void decrefBelowTheSendCountKeepsTheExport() {
        Thing a = new Thing();
        long id = table.export(a);
        table.export(a);
        table.export(a);

        assertThat(table.release(id, 2)).isTrue();

        assertThat(table.get(id)).isSameAs(a);
        assertThat(table.size()).isEqualTo(1);
    }

    @Test
    void decrefAtZeroRemovesExport() {
        Thing a = new Thing();
        long id = table.export(a);
        table.export(a);

        assertThat(table.release(id, 1)).isTrue();
        assertThat(table.release(id, 1)).isTrue();

        assertThat(table.get(id)).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    void overReleaseReturnsFalse() {
        Thing a = new Thing();
        long id = table.export(a);

        assertThat(table.release(id, 2)).isFalse();
        assertThat(table.get(id)).isNull();
    }

    @Test
    void releasingAnUnknownIdReturnsFalse() {
        assertThat(table.release(42, 1)).isFalse();
        long id = table.export(new Thing());
        table.release(id, 1);

        assertThat(table.release(id, 1)).isFalse();
    }

    @Test
    void anObjectExportedAgainAfterItsReleaseGetsAFreshId() {
        // A late decref of the old id must not touch the new export.
        Thing a = new Thing();
        long first = table.export(a);
        table.release(first, 1);

        long second = table.export(a);

        assertThat(second).isNotEqualTo(first);
        assertThat(table.release(first, 1)).isFalse();
        assertThat(table.get(second)).isSameAs(a);
    }

    @Test
    void exportingPastTheLimitIsRefusedNamingMaxExportedObjects() {
        ExportTable small = new ExportTable(2);
        Thing a = new Thing();
        small.export(a);
        small.export(new Thing());

        assertThatThrownBy(() -> small.export(new Thing()))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageContaining("maxExportedObjects (2)");
        assertThat(small.size()).isEqualTo(2);
    }

    @Test
    void atTheLimitObjectsAlreadyExportedCanStillBeSent() {
        ExportTable small = new ExportTable(1);
        Thing a = new Thing();
        long id = small.export(a);

        assertThat(small.export(a)).isEqualTo(id);
    }

    @Test
    void releasingMakesRoomUnderTheLimit() {
        ExportTable small = new ExportTable(1);
        long id = small.export(new Thing());
        small.release(id, 1);

        Thing b = new Thing();
        long idB = small.export(b);

        assertThat(small.get(idB)).isSameAs(b);
    }

    @Test
    void clearDropsEverything() {
        Thing a = new Thing();
        long id = table.export(a);
        table.export(new Thing());

        table.clear();

        assertThat(table.size()).isZero();
        assertThat(table.get(id)).isNull();
        assertThat(table.release(id, 1)).isFalse();
    }
}
