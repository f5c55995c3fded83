package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Twisted-wire benchmark states over real loopback connections, Python's included. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwistedWireTest {
    private final TwistedWire bench = new TwistedWire();

    @Test
    void jpbToJpbStatesAdd() throws Exception {
        for (TwistedWire.JpbToJpb state : new TwistedWire.JpbToJpb[] {
            new TwistedWire.JpbToJpb(), new TwistedWire.JpbToJpbNonBlocking(),
            new TwistedWire.JpbToJpbDirect()}) {
            state.start(); // checks add(20, 22) itself
            try {
                assertThat(bench.throughputJpbToJpb(state)).isEqualTo(42);
            } finally {
                state.stop();
            }
            assertThat(state.client.connection().isOpen()).isFalse();
        }
    }

    @Test
    void jpbToPythonStateAdds() throws Exception {
        TwistedWire.JpbToPython state = new TwistedWire.JpbToPython();
        state.start();
        try {
            assertThat(bench.throughputJpbToPython(state)).isEqualTo(42);
        } finally {
            state.stop();
        }
        assertThat(state.python.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
}
