package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.internal.wire.MessageKind;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The committed corpus of {@link BrokerFuzzTest} is the one {@link WireSeeds} writes, and its
 * valid conversations are real ones: the end answers every request in them.
 */
@Timeout(30)
class WireSeedsTest {
    static Map<String, byte[]> committed(String dir) throws IOException, URISyntaxException {
        Path path = Path.of(WireSeedsTest.class.getResource("/" + dir).toURI());
        Map<String, byte[]> seeds = new TreeMap<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.toList()) {
                seeds.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    @Test
    void theCommittedSeedsAreTheGeneratedOnes() throws Exception {
        assertThat(committed(WireSeeds.HANDSHAKE_DIR).keySet())
                .filteredOn(name -> !name.startsWith("finding-"))
                .containsExactlyInAnyOrderElementsOf(WireSeeds.handshakeSeeds().keySet());
        assertThat(committed(WireSeeds.FRAMES_DIR).keySet())
                .filteredOn(name -> !name.startsWith("finding-"))
                .containsExactlyInAnyOrderElementsOf(WireSeeds.frameSeeds().keySet());
    }

    @Test
    void theSeedsAndTheDictionaryHoldEveryMessageKind() throws Exception {
        java.util.Set<Integer> seen = new java.util.TreeSet<>();
        for (byte[] input : WireSeeds.frameSeeds().values()) {
            int i = 0;
            while (i < input.length) {
                int length = input[i++] & 0xff;
                if (length >= 0x80) {
                    length = (length & 0x7f) << 8 | input[i++] & 0xff;
                }
                if (length > 0) {
                    seen.add(input[i] & 0xff);
                }
                i += length;
            }
        }
        String dict = new String(WireSeedsTest.class
                .getResourceAsStream("/dev/jpb/fuzz/jpb-wire.dict").readAllBytes(),
                java.nio.charset.StandardCharsets.US_ASCII);
        for (int kind = MessageKind.CALL; kind <= MessageKind.CALL_DEADLINE; kind++) {
            assertThat(seen).as("kinds of the seeds' frames").contains(kind);
            assertThat(dict).as("the dictionary").contains(String.format("=\"\\x%02x\"", kind));
        }
    }

    @Test
    void everyRequestOfTheValidConversationIsAnswered() {
        try (WireFuzzing w = new WireFuzzing()) {
            w.peer.connect(WireFuzzing.LIMITS.maxFrameBytes());
            w.guard();
            for (byte[] body : WireSeeds.everyMethod().bodies) {
                w.frame(body, 0, body.length);
            }
            List<Integer> kinds = w.sent.stream().map(FramePeer.Frame::kind).toList();
            assertThat(kinds).hasSize(7).containsOnly(MessageKind.ANSWER);
            assertThat(w.peer.channel.isOpen()).isTrue();
        }
    }

    @Test
    void theHostileHandshakesCloseTheChannel() throws Exception {
        for (Map.Entry<String, byte[]> e : committed(WireSeeds.HANDSHAKE_DIR).entrySet()) {
            if (!e.getKey().startsWith("hostile-") || e.getKey().equals("hostile-short-hello")) {
                continue;
            }
            try (WireFuzzing w = new WireFuzzing()) {
                w.peer.readHello();
                byte[] data = e.getValue();
                int split = Math.min(1 + (data[0] & 0xff), data.length);
                w.write(data, 1, split);
                if (w.peer.channel.isOpen() && split < data.length) {
                    w.write(data, split, data.length);
                }
                assertThat(w.peer.channel.isOpen()).as(e.getKey()).isFalse();
            }
        }
    }
}
