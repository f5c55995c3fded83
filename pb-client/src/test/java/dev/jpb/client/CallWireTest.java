package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bytes a client's calls put on the wire, recorded by a TCP proxy: exactly the transcript
 * of docs/protocol.md §10 (TYPES right before the first frame that uses a name, frames in send
 * order). The same test runs with calls encoded on the caller's thread (the
 * {@code encode-on-caller} execution), so both ways give the same bytes.
 */
@Timeout(60)
class CallWireTest {
    /** The transcript's root. */
    public static final class Calc extends Root {
        /** Adds. */
        public int remote_add(int a, int b) {
            return a + b;
        }

        /** Echoes. */
        public String remote_echo(String s) {
            return s;
        }
    }

    private static final String EXPECTED = String.join("",
            "00000002", "0601", // ROOT, request 1
            // TYPES 16 = java.lang.Integer, then CALL 2 -> 1 add(2, 3)
            "00000015", "051001126a6176612e6c616e672e496e7465676572",
            "0000000c", "010201046164640210041006",
            // TYPES 17 = java.lang.String, then CALL 3 -> 1 echo("hi")
            "00000014", "051101116a6176612e6c616e672e537472696e67",
            "0000000c", "01030105656368" + "6f011168e9",
            // pipelined, no new names: CALL 4 echo("a"), CALL 5 add(1, 1)
            // (a one-char string is 0x80 | length + 1, then the char: 82 61)
            "0000000c", "01040105656368" + "6f01118261",
            "0000000c", "010501046164640210021002");

    @Test
    void callsPutTheTranscriptsBytesOnTheWireInSendOrder() throws Exception {
        try (PbServer server = PbServer.builder().root(new Calc()).bind("127.0.0.1", 0).build()
                .start();
                LoginWireTest.RecordingProxy proxy = new LoginWireTest.RecordingProxy(
                        server.port());
                PbClient client = PbClient.connect("127.0.0.1", proxy.port())) {
            RemoteReference root = client.getRootObject().get(10, TimeUnit.SECONDS);
            assertThat(root.<Integer>callRemote("add", 2, 3).get(10, TimeUnit.SECONDS))
                    .isEqualTo(5);
            assertThat(root.<String>callRemote("echo", "hi").get(10, TimeUnit.SECONDS))
                    .isEqualTo("hi");
            CompletableFuture<String> a = root.callRemote("echo", "a");
            CompletableFuture<Integer> two = root.callRemote("add", 1, 1);
            assertThat(a.get(10, TimeUnit.SECONDS)).isEqualTo("a");
            assertThat(two.get(10, TimeUnit.SECONDS)).isEqualTo(2);
            byte[] expected = HexFormat.of().parseHex(EXPECTED);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> proxy.fromClientBytes().length >= 16 + expected.length);
            byte[] sent = proxy.fromClientBytes();
            // after the client's 16-byte hello; a release may follow, when the GC finds it
            assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(sent, 16,
                    16 + expected.length))).isEqualTo(EXPECTED);
            assertThat(root.isConnected()).isTrue();
        }
    }
}
