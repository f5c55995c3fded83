package dev.jpb.examples.runsheet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RunSheetExampleTest {
    @Test
    void threeClientsSeeTheNoteAndWalkThroughThreeAcknowledgedSteps() throws Exception {
        List<String> all = new CopyOnWriteArrayList<>();
        Map<String, List<String>> seen = RunSheetServer.demo(all::add);
        assertThat(seen).containsOnlyKeys("alice", "bob", "carol");
        seen.forEach((name, lines) -> assertThat(lines).containsExactly(
                name + " sees sample = S-42",
                name + " is at step 1: weigh the sample",
                name + " is at step 2: mix",
                name + " is at step 3: measure"));
        assertThat(all).contains("server: steps [1, 2, 3] acknowledged by all 3 clients");
    }
}
