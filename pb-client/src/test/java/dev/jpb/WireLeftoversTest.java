package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two leftovers of the core's hardening, over raw sockets: bytes that are not jpb are refused
 * as soon as they differ from the magic, and bytes after the end of a message are a violation.
 */
@Timeout(60)
class WireLeftoversTest {
    public static class Echo extends Root {
        public Object remote_echo(Object o) {
            return o;
        }

        public int remote_one() {
            return 1;
        }
    }

    private static Loopback strict() {
        // one violation closes; the handshake timeout is far longer than the test waits
        return new Loopback(new Echo(), b -> b.handshakeTimeout(Duration.ofSeconds(50))
                .limits(Limits.builder().maxViolations(1).build()));
    }

    @Test
    void bytesThatAreNotJpbAreRefusedAsSoonAsTheyDifferFromTheMagic() throws Exception {
        try (Loopback lo = strict(); RawPeer raw = new RawPeer(lo.server.port())) {
            long start = System.nanoTime();
            raw.send("GET".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // < 16 bytes
            assertThat(raw.closedByPeer()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
        }
    }

    @Test
    void aPrefixOfTheMagicWaitsForTheRest() throws Exception {
        try (Loopback lo = strict(); RawPeer raw = new RawPeer(lo.server.port())) {
            raw.in.readFully(new byte[16]);
            byte[] hello = RawPeer.hello(1, 1 << 24);
            raw.send(java.util.Arrays.copyOf(hello, 3)); // "JPB": could still be a hello
            raw.send(java.util.Arrays.copyOfRange(hello, 3, 16));
            raw.sendFrame(new RawPeer.Body(6).varint(1).build()); // ROOT 1
            assertThat(raw.readFrame(2)[1]).isEqualTo((byte) 1); // ANSWER to request 1
        }
    }

    @Test
    void bytesAfterAHeaderOnlyMessageAreAViolation() throws Exception {
        try (Loopback lo = strict(); RawPeer raw = new RawPeer(lo.server.port())) {
            raw.handshake();
            raw.sendFrame(new RawPeer.Body(6).varint(1).raw(0xff).build()); // ROOT 1, then ff
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void bytesAfterTheLastValueOfACallAreAViolation() throws Exception {
        try (Loopback lo = strict(); RawPeer raw = new RawPeer(lo.server.port())) {
            raw.handshake();
            raw.sendFrame(new RawPeer.Body(6).varint(1).build()); // ROOT 1: the root is id 1
            raw.readFrame(2);
            // CALL 2 -> 1 "echo", 1 argument: null (00), then a stray ff
            raw.sendFrame(new RawPeer.Body(1).varint(2).varint(1).string("echo").varint(1)
                    .raw(0x00, 0xff).build());
            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void theSameMessagesWithoutTrailingBytesAreServed() throws Exception {
        try (Loopback lo = strict(); RawPeer raw = new RawPeer(lo.server.port())) {
            raw.handshake();
            raw.sendFrame(new RawPeer.Body(6).varint(1).build());
            raw.readFrame(2);
            raw.sendFrame(new RawPeer.Body(1).varint(2).varint(1).string("echo").varint(1)
                    .raw(0x00).build());
            byte[] answer = raw.readFrame(2);
            assertThat(answer).containsExactly(2, 2, 0); // ANSWER 2: null
        }
    }
}
