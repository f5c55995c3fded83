package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile Banana sent to a TwistedPbServer on a raw socket is refused (that connection
 * closed), while a well-behaved Twisted PB connection to the same server (one I/O thread) is
 * answered within a second, before and after. Runs with -Xmx256m (see the pom).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostileBananaTest {
    /** Root with one method. */
    public static final class Adder extends Root {
        public int remote_add(int a, int b) {
            return a + b;
        }
    }

    private TwistedPbServer server;
    private TwistedPbClient good;
    private RemoteReference root;

    @BeforeEach
    void start() {
        server = TwistedPbServer.builder().root(new Adder()).bind("127.0.0.1", 0).build()
                .start();
        good = TwistedPbClient.connect("127.0.0.1", server.port());
        root = good.getRootObject().join();
    }

    @AfterEach
    void stop() {
        good.close();
        server.close();
    }

    private void wellBehavedIsAnswered() {
        assertThat(root.<Integer>callRemote("add", 2, 2).orTimeout(1, TimeUnit.SECONDS).join())
                .isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // 2 GiB string declared: refused from the header, nothing allocated
        "oversized string, 0000000008 82",
        // 640 KiB + 1 elements declared
        "oversized list, 010028 80",
        "unknown type byte, 01 88",
        "65 prefix digits, " + "01010101010101010101010101010101010101010101010101010101010101010"
                + "10101010101010101010101010101010101010101010101010101010101010101",
        "vocabulary number out of range, 7f 87",
        "not a list, 05 81",
    })
    void hostileBytesAreRefusedWithoutHarmToOthers(String name, String hex) throws Exception {
        wellBehavedIsAnswered();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            readDialects(in);
            out.write(HexFormat.of().parseHex("02827062")); // choose "pb"
            out.write(HexFormat.of().parseHex(hex.replace(" ", "")));
            out.flush();
            // The server closes this connection: read until EOF (version first).
            while (in.read() >= 0) {
                // drain
            }
        }
        wellBehavedIsAnswered();
        assertThat(good.connection().isOpen()).isTrue();
    }

    @ParameterizedTest(name = "truncated {0}")
    @CsvSource({"half a string, 0a82616263", "an unfinished list, 0380018102"})
    void truncatedInputHarmsNoOne(String name, String hex) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            readDialects(s.getInputStream());
            s.getOutputStream().write(HexFormat.of().parseHex("02827062" + hex));
            s.getOutputStream().flush();
            wellBehavedIsAnswered();
        }
        wellBehavedIsAnswered();
    }

    private static void readDialects(InputStream in) throws Exception {
        byte[] expected = HexFormat.of().parseHex("02800282706204826e6f6e65");
        byte[] got = in.readNBytes(expected.length);
        assertThat(got).isEqualTo(expected);
    }
}
