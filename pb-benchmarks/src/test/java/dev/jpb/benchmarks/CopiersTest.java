package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CopiersTest {
    @Test
    void everyCopierGivesBackAnEqualGraph() {
        Graph.Person person = Graph.person();
        for (Copiers.Copier copier : new Copiers.Copier[] {
            new Copiers.Jpb(), new Copiers.RawKryo(false), new Copiers.RawKryo(true),
            new Copiers.JavaIo()}) {
            for (int i = 0; i < 3; i++) {
                assertThat(copier.encode(person)).isPositive();
                assertThat(copier.decode()).isEqualTo(person).isNotSameAs(person);
            }
        }
    }

    @Test
    void jpbCopiesTakeTheSameBytesEveryTime() {
        Copiers.Jpb jpb = new Copiers.Jpb();
        Graph.Person person = Graph.person();
        int first = jpb.encode(person);
        int second = jpb.encode(person);
        assertThat(jpb.encode(person)).isEqualTo(second);
        assertThat(W5Copy.sizes()[0]).isEqualTo(second);
        // Type names travel in a TYPES frame of their own, not inside the value.
        assertThat(first).isEqualTo(second);
    }
}
