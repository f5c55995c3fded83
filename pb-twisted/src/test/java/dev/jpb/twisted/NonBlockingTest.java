package dev.jpb.twisted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.NonBlocking;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCallException;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** jpb to jpb over the Twisted wire: @NonBlocking methods run on the I/O thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NonBlockingTest {
    /** Reports where its methods run. */
    public static final class Where extends Root {
        @NonBlocking
        public String remote_marked() {
            return Thread.currentThread().getName();
        }

        public String remote_plain() {
            return Thread.currentThread().getName();
        }

        @NonBlocking
        public String remote_blocks(RemoteReference callback) {
            return callback.<String>callRemote("pong").join();
        }
    }

    /** A callback that answers. */
    public static final class Pong extends Referenceable {
        public String remote_pong() {
            return "pong";
        }
    }

    private TwistedPbServer server;
    private TwistedPbClient client;
    private RemoteReference root;

    @BeforeEach
    void start() {
        server = TwistedPbServer.builder().root(new Where()).bind("127.0.0.1", 0).build()
                .start();
        client = TwistedPbClient.connect("127.0.0.1", server.port());
        root = client.getRootObject().join();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void aMarkedMethodRunsOnTheIoThreadAndAnUnmarkedOneOnTheExecutor() {
        assertThat(root.<String>callRemote("plain").join()).contains("-exec");
        assertThat(root.<String>callRemote("marked").join()).contains("jpb-twisted-server-io");
    }

    @Test
    void aMarkedMethodBlockingOnAFutureIsRefusedNotDeadlocked() {
        root.callRemote("plain").join(); // the root is made on the executor, once
        assertThatThrownBy(() -> root.callRemote("blocks", new Pong()).join())
                .cause().isInstanceOfSatisfying(RemoteCallException.class, e ->
                        assertThat(e.remoteType()).isEqualTo("dev.jpb.BlockingCallException"));
        assertThat(root.<String>callRemote("marked").join()).contains("-io");
    }
}
