package dev.jpb.examples.twisted;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Both Twisted examples against real Twisted. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwistedExamplesTest {
    private static String output(ThrowingRun run) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private interface ThrowingRun {
        void run(PrintStream out) throws Exception;
    }

    @Test
    void javaClientsChatInAPythonRoom() throws Exception {
        String out = output(TwistedChatClient::run);
        assertThat(out).contains("alice joined; present: [alice]",
                "alice heard: * alice joined", "bob heard: * bob joined",
                "alice heard: <alice> hello from Java", "bob heard: <alice> hello from Java",
                "joining as alice again: chat.NameTaken: the name alice is taken");
    }

    @Test
    void aPythonClientCallsAJpbServer() throws Exception {
        String out = output(TwistedServerDemo::run);
        assertThat(out).contains("python: add(2, 3) = 5", "python: progress 100%",
                "python: sum([1, 2, 3, 4]) = 10",
                "python: divide(1, 0) failed: java.lang.ArithmeticException - / by zero",
                "python exited with 0");
    }
}
