package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.Copyable;
import dev.jpb.Limits;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class EndpointSettingsTest {
    record Point(int x, int y) implements Copyable {
    }

    record Line(Point from, Point to) implements Copyable {
    }

    static final class Plain {
    }

    private static final Executor DIRECT = Runnable::run;

    @Test
    void configsWithTheSameRegistrationsShareOneCodec() {
        EndpointSettings first = new EndpointSettings();
        first.register(Point.class, Line.class);
        EndpointSettings second = new EndpointSettings();
        second.register(Point.class, Line.class);
        Executor other = r -> r.run();

        BrokerConfig a = first.toConfig(DIRECT);
        BrokerConfig b = second.toConfig(other);

        assertThat(b.codec()).isSameAs(a.codec());
        assertThat(a.executor()).isSameAs(DIRECT);
        assertThat(b.executor()).isSameAs(other);
        assertThat(first.toConfig(DIRECT).codec()).isSameAs(a.codec());
    }

    @Test
    void anotherAllowListOrDepthLimitGetsItsOwnCodec() {
        EndpointSettings points = new EndpointSettings();
        points.register(Point.class);
        EndpointSettings lines = new EndpointSettings();
        lines.register(Point.class, Line.class);
        EndpointSettings shallow = new EndpointSettings();
        shallow.register(Point.class);
        shallow.limits(Limits.builder().maxDepth(8).build());

        BrokerConfig p = points.toConfig(DIRECT);
        assertThat(lines.toConfig(DIRECT).codec()).isNotSameAs(p.codec());
        assertThat(shallow.toConfig(DIRECT).codec()).isNotSameAs(p.codec());
        assertThat(shallow.toConfig(DIRECT).limits().maxDepth()).isEqualTo(8);
    }

    @Test
    void aClassThatCannotBeCopiedIsRefusedWhenRegisteredAndNotKept() {
        EndpointSettings settings = new EndpointSettings();
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> settings.register(Point.class, Plain.class))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must implement dev.jpb.Copyable");
        }
        assertThat(settings.toConfig(DIRECT).codec().registry().lookup(Point.class.getName()))
                .as("nothing of a refused call is kept").isNull();
    }
}
