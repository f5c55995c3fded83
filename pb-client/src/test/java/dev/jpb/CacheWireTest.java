package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jpb.cache.CacheableMap;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cache frames byte for byte, as docs/protocol.md §4.7, §4.8 and §6.13 show them: a peer
 * written by hand gets a copy, an update, and gives the copy back.
 */
@Timeout(60)
class CacheWireTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    public static class Server extends Root {
        final CacheableMap<Long, String> map = new CacheableMap<>();

        public CacheableMap<Long, String> remote_map() {
            return map;
        }
    }

    private static String hex(byte[] body) {
        return HEX.formatHex(body);
    }

    @Test
    void aForeignPeerGetsTheStateAnUpdateAndGivesTheCopyBack() throws Exception {
        Server root = new Server();
        try (PbServer server = PbServer.builder().root(root).bind("127.0.0.1", 0).build()
                .start();
                RawPeer peer = new RawPeer(server.port()).handshake(2)) {
            peer.sendFrame(new RawPeer.Body(6).varint(1).build()); // ROOT, request 1
            assertThat(hex(peer.readFrame(2))).isEqualTo("02 01 01 01 01");
            peer.sendFrame(new RawPeer.Body(1).varint(2).varint(1).string("map").varint(0)
                    .build());
            assertThat(hex(peer.readFrame())).isEqualTo(
                    "05 10 01 0f 6a 61 76 61 2e 6c 61 6e 67 2e 4c 6f 6e 67");
            assertThat(hex(peer.readFrame())).isEqualTo("0c 02 1b 64 65 76 2e 6a 70 62 2e 63 61"
                    + " 63 68 65 2e 43 61 63 68 65 61 62 6c 65 4d 61 70 03 01 02 10 00 05 01 00");
            assertThat(hex(peer.readFrame())).isEqualTo("02 02 06 01 02");
            await().atMost(Duration.ofSeconds(5)).until(() -> root.map.observerCount() == 1);

            root.map.put(7L, "hi");
            assertThat(hex(peer.readFrame())).isEqualTo(
                    "05 11 01 11 6a 61 76 61 2e 6c 61 6e 67 2e 53 74 72 69 6e 67");
            assertThat(hex(peer.readFrame())).isEqualTo(
                    "0d 02 04 70 75 74 03 10 02 10 0e 11 68 e9");

            peer.sendFrame(new RawPeer.Body(4).varint(1).varint(2).varint(2).build()); // DECREF
            await().atMost(Duration.ofSeconds(5)).until(() -> root.map.observerCount() == 0);
            assertThat(server.connections().iterator().next().exportedObjectCount())
                    .isEqualTo(1); // the root only
        }
    }

    @Test
    void aPeerWithoutTheCacheBitIsNotSentCacheables() throws Exception {
        Server root = new Server();
        try (PbServer server = PbServer.builder().root(root).bind("127.0.0.1", 0).build()
                .start();
                RawPeer peer = new RawPeer(server.port()).handshake(0)) {
            peer.sendFrame(new RawPeer.Body(6).varint(1).build());
            peer.readFrame(2);
            peer.sendFrame(new RawPeer.Body(1).varint(2).varint(1).string("map").varint(0)
                    .build());
            byte[] error = peer.readFrame(3);
            assertThat(new String(error, java.nio.charset.StandardCharsets.UTF_8))
                    .contains("CACHE feature bit");
            assertThat(root.map.observerCount()).isZero();
        }
    }

    @Test
    void updatesForUnknownCopiesAreIgnoredAndRefusedCopiesGivenBack() throws Exception {
        Server root = new Server();
        try (PbServer server = PbServer.builder().root(root).bind("127.0.0.1", 0).build()
                .start();
                RawPeer peer = new RawPeer(server.port()).handshake(2)) {
            // an update to a copy the server never had: dropped, the connection lives
            peer.sendFrame(new RawPeer.Body(13).varint(99).string("put").varint(0).build());
            // a copy of a class the server has no factory for: its receipt comes straight back
            peer.sendFrame(new RawPeer.Body(12).varint(5).string("com.example.Secret")
                    .raw(0).build());
            assertThat(hex(peer.readFrame())).isEqualTo("04 01 05 01");
            peer.sendFrame(new RawPeer.Body(6).varint(1).build());
            assertThat(hex(peer.readFrame(2))).isEqualTo("02 01 01 01 01");
        }
    }
}
