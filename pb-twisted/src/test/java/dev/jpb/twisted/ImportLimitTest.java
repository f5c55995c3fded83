package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code maxImportedReferences}: a real Twisted client (pb_import_limit.py) hands a jpb server
 * more of its objects than the server may hold references to.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ImportLimitTest {
    private TwistedPbServer server;
    private PythonPeer python;

    /** Keeps every reference it is given, until asked to release one. */
    public static final class Keeper extends Root {
        private final List<RemoteReference> kept = new ArrayList<>();

        public synchronized int remote_keep(RemoteReference listener) {
            kept.add(listener);
            return kept.size();
        }

        public synchronized void remote_releaseOne() {
            kept.remove(0).release();
        }

        public String remote_ping() {
            return "pong";
        }
    }

    @AfterEach
    void stop() {
        if (python != null) {
            python.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aReferencePastTheLimitIsRefusedAndGivenBackAndAReleaseMakesRoom() throws Exception {
        server = TwistedPbServer.builder().root(new Keeper()).bind("127.0.0.1", 0)
                .maxImportedReferences(3).build().start();
        python = PythonPeer.start("pb_import_limit.py", String.valueOf(server.port()), "4");
        assertThat(python.expect("KEPT ", 20)).isEqualTo("1");
        assertThat(python.expect("KEPT ", 10)).isEqualTo("2");
        assertThat(python.expect("KEPT ", 10)).isEqualTo("3");
        assertThat(python.expect("REFUSED ", 10))
                .startsWith("dev.jpb.LimitExceededException")
                .contains("maxImportedReferences");
        // jpb sent a decref for the refused one: Python counts only the three jpb holds.
        assertThat(python.expect("HELD ", 10)).isEqualTo("3");
        assertThat(python.expect("HELD ", 10)).isEqualTo("2");
        assertThat(python.expect("KEPT ", 10)).isEqualTo("3");
        assertThat(python.expect("DONE", 10)).isEmpty();
        assertThat(python.waitFor(20)).isZero();
    }

    @Test
    void theLimitMustBePositive() {
        assertThatThrownBy(() -> TwistedPbClient.builder().maxImportedReferences(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxImportedReferences: 0 (expected: > 0)");
        assertThatThrownBy(() -> TwistedPbServer.builder().maxImportedReferences(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxImportedReferences: -1");
    }
}
