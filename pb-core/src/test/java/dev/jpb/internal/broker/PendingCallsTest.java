package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PendingCallsTest {
    private final PendingCalls pending = new PendingCalls();

    @Test
    void requestIdsStartAtOneAndNeverRepeat() {
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(1);
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(2);
        pending.remove(2);
        assertThat(pending.add(PbFuture.forCall())).isEqualTo(3);
    }

    @Test
    void aCallIsHandedToOneCompleterOnly() {
        PbFuture<Object> answered = PbFuture.forCall();
        PbFuture<Object> lost = PbFuture.forCall();
        long a = pending.add(answered);
        long b = pending.add(lost);

        assertThat(pending.remove(a)).isSameAs(answered); // its answer arrived
        assertThat(pending.removeAll()).containsExactly(lost); // then the connection closed
        // the outbox, failing the calls it still held, finds nothing left to fail
        assertThat(pending.remove(a)).isNull();
        assertThat(pending.remove(b)).isNull();
        assertThat(pending.size()).isZero();
    }
}
