package dev.jpb.examples.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class LabDemoTest {
    @Test
    void theDemoRunsTwoClientsAgainstTheServerAndExitsZero() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            status = LabDemo.run(out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).doesNotContain("FAILED");
        assertThat(status).isZero();
        assertThat(text.lines()).contains(
                "alice: people() -> [Ada Lovelace, Alan Turing, Grace Hopper, Marie Curie]",
                "bob: people() -> [Ada Lovelace, Alan Turing, Grace Hopper, Marie Curie,"
                        + " Dana Scully]",
                "  ok: bob sees the person alice created",
                "  ok: alice sees bob's edit exactly as bob stored it",
                "  ok: the refusal names the email field",
                "  ok: nothing of the refused edit was written",
                "  ok: the JSON view shows bob's edit",
                "  ok: after the restart the data is all there",
                "== done: every step went as expected");
        assertThat(text).contains("refused: FieldError on \"email\"");
    }
}
