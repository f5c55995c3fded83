package dev.jpb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class W8LabPeopleTest {
    @Test
    void setupFillsTheTableAndBothBenchmarksReadAllOfIt() throws Exception {
        W8LabPeople bench = new W8LabPeople();
        bench.rows = 300;
        bench.start();
        try {
            List<dev.jpb.examples.lab.PersonView> read = bench.people();
            assertThat(read).hasSize(300);
            assertThat(read.get(299).name()).isEqualTo("Person 299");
            assertThat(read.get(299).addresses()).singleElement()
                    .satisfies(a -> assertThat(a.email()).isEqualTo("person299@lab.example"));
            assertThat(bench.firstTable()).isEqualTo(read);
            assertThat(W8LabPeople.tableBytes(read)).isGreaterThan(300 * 20);
        } finally {
            bench.stop();
        }
    }
}
