package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What both builders share: frozen settings, checks at once, one facade per connection. */
@Timeout(30)
class EndpointTest {
    public static class Server extends Root {
        final List<Connection> callers = new CopyOnWriteArrayList<>();

        public void remote_hello() {
            callers.add(CallContext.current().connection());
        }
    }

    @Test
    void theConnectionIsOneStableFacadeWhereverItIsSeen() throws Exception {
        Server root = new Server();
        try (Loopback lo = new Loopback(root)) {
            PbClient client = lo.client();
            RemoteReference ref = get(client.getRootObject());
            get(ref.callRemote("hello"));
            get(ref.callRemote("hello"));

            Connection onServer = lo.server.connections().iterator().next();
            assertThat(root.callers).containsExactly(onServer, onServer);
            assertThat(root.callers.get(0)).isSameAs(onServer)
                    .isSameAs(lo.server.connections().iterator().next());
            assertThat(onServer.getClass().getSimpleName()).isEqualTo("DefaultConnection");
            assertThat(ref.connection()).isSameAs(client.connection())
                    .isSameAs(client.connection());
            assertThat(ref.connection().getClass().getSimpleName())
                    .isEqualTo("DefaultConnection");
            ref.release();
        }
    }

    @Test
    void changingABuilderAfterBuildDoesNotChangeTheServer() {
        PbServer.Builder b = PbServer.builder().root(new Root()).bind("127.0.0.1", 0);
        try (PbServer server = b.build()) {
            b.bind("203.0.113.1", 1); // not an address of this machine: binding would fail
            server.start();
            assertThat(server.localAddress().getAddress().getHostAddress())
                    .isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aClassThatCannotTravelIsRefusedWhenRegistered() {
        assertThatThrownBy(() -> PbServer.builder().register(Thread.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Thread").hasMessageContaining("Copyable");
        assertThatThrownBy(() -> PbClient.builder().register(Runnable.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Runnable");
    }
}
