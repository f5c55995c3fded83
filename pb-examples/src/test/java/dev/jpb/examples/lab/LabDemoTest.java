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
                "anonymous: people() refused: NoSuchRemoteMethodException",
                "alice: people() -> [Ada Lovelace, Alan Turing, Grace Hopper, Marie Curie]",
                "  ok: bob's table shows alice's new person",
                "bob's table, pushed: [5, Dana Scully, 33, dana@lab.example, optics, B-0003]",
                "  ok: bob sees alice's edit exactly as alice stored it",
                "  ok: nothing of it was written",
                "  ok: the refusal names the email field",
                "  ok: nothing of the refused edit was written",
                "alice acknowledged; alice's screen: missing [bob]",
                "  ok: the step waits for bob, by name",
                "  ok: bob's station followed every step as it happened: [calibrate, acquire,"
                        + " review]",
                "  ok: the JSON view shows alice's edit",
                "  ok: after the restart the data and the users are all there",
                "== done: every step went as expected");
        assertThat(text).contains("bob: updatePerson refused: bob is a viewer");
        assertThat(text).contains("refused: FieldError on \"email\"");
    }
}
