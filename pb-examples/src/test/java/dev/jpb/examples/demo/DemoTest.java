package dev.jpb.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class DemoTest {
    @Test
    void theDemoTellsTheWholeStoryAndClosesEverything() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> transcript;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            transcript = Demo.run(out);
        }

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines()).containsExactlyElementsOf(
                transcript);
        assertThat(transcript).first().asString().startsWith("== jpb demo");
        assertThat(transcript).last().asString().startsWith("== done");
        assertThat(transcript).contains(
                // a copy carrying references
                "alice: connected; root.callRemote(\"welcome\") answered a Welcome copy"
                        + " (\"welcome to the jpb demo\") whose chat and notifier fields are"
                        + " RemoteReferences",
                // calls both ways: client -> room, room -> every client's callback
                "carol: nvx(\"carol\", listener) -> present [alice, bob, carol]",
                "  alice's listener got msg(\"* carol joined\")",
                "alice: say(\"hello, everyone\")",
                "  bob's listener got msg(\"alice: hello, everyone\")",
                "  carol's listener got msg(\"alice: hello, everyone\")",
                // copies pushed to callbacks that call back in turn
                "server: publish(Event[kind=random, text=roll the dice])",
                "  bob's subscriber printed \"classified: the eagle has landed\"",
                // what comes back: a copy is a copy, a reference is the original, proxies dedup
                "alice: echo(Event[kind=classified, text=a copy]) ->"
                        + " Event[kind=classified, text=a copy]: equal true, same object false",
                "alice: echo(her own listener) -> her own object: same object true",
                "alice: welcome() again -> the chat field is the same proxy as before: true",
                // errors
                "carol: nvx(\"alice\", listener) threw NameTakenError, crossed as itself:"
                        + " name alice, message \"the name alice is taken; pick another one\"",
                "alice: say(\" \") threw RemoteCallException: remoteType"
                        + " java.lang.IllegalArgumentException, remoteMessage"
                        + " \"refusing to send an empty message\"",
                // a disconnect
                "carol: closed her connection",
                "  alice's listener got msg(\"* carol left\")",
                "  bob's listener got msg(\"* carol left\")",
                "server: the room now has 2 members [alice, bob]; the notifier has 1 subscriber",
                "carol: a call through her old room reference failed with"
                        + " DeadReferenceException",
                "  alice's listener got msg(\"bob: bye, carol\")");
        assertThat(transcript).filteredOn(l -> l.matches(
                "  (bob|carol)'s subscriber printed \"random number: \\d+\""))
                .hasSize(2);
        assertThat(transcript).anyMatch(l -> l.startsWith(
                "bob: callRemote(\"shout\", \"HEY\") failed with NoSuchRemoteMethodException"));
    }
}
