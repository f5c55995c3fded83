package dev.jpb.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.jpb.Avatar;
import dev.jpb.DeadReferenceException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.server.Passwords;
import dev.jpb.server.PbServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reconnection over real sockets: the server stops and starts again on the same port. */
@Timeout(90)
class ReconnectTest {
    private static final Duration INITIAL = Duration.ofMillis(50);
    private static final Duration MAX = Duration.ofMillis(400);

    public static class Counter extends Root {
        private final String name;

        Counter(String name) {
            this.name = name;
        }

        public String remote_name() {
            return name;
        }
    }

    /** The avatar of the login servers: says who it is and which server made it. */
    public static final class User extends Avatar {
        private final String id;
        private final String server;

        User(String id, String server) {
            this.id = id;
            this.server = server;
        }

        public String perspective_whoami() {
            return id + "@" + server;
        }
    }

    /** The client's mind: the realm greets it with the server's name on every login. */
    public static final class Mind extends Referenceable {
        final List<String> greetings = new CopyOnWriteArrayList<>();

        public void remote_greet(String server) {
            greetings.add(server);
        }
    }

    private static final char[] PASSWORD = "correct horse".toCharArray();

    // Shared by the servers of one test: a restarted server keeps its users' verifiers (salts).
    private final Passwords passwords = Passwords.create().add("alice", PASSWORD);

    private PbServer serveLogin(String name, int port) {
        return PbServer.builder()
                .passwords(passwords)
                .realm((avatarId, mind, connection) -> {
                    if (mind != null) {
                        mind.callRemoteOnly("greet", name);
                    }
                    return new User(avatarId, name);
                })
                .bind("127.0.0.1", port).build().start();
    }

    /** What one client saw. */
    private static final class Watch {
        final List<RemoteReference> roots = new CopyOnWriteArrayList<>();
        final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    }

    private static PbServer serve(String name, int port) {
        return PbServer.builder().root(new Counter(name)).bind("127.0.0.1", port).build()
                .start();
    }

    private static PbClient reconnecting(int port, Watch watch) {
        PbClient client = PbClient.builder().reconnect(INITIAL, MAX)
                .connectTimeout(Duration.ofSeconds(2)).connect("127.0.0.1", port);
        client.onStateChange(watch.states::add);
        client.onConnected(watch.roots::add);
        return client;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void threeClientsReconnectWhenTheServerRestartsOnTheSamePort() throws Exception {
        PbServer first = serve("first", 0);
        int port = first.port();
        List<Watch> watches = new ArrayList<>();
        List<PbClient> clients = new ArrayList<>();
        PbServer second = null;
        try {
            for (int i = 0; i < 3; i++) {
                Watch w = new Watch();
                watches.add(w);
                clients.add(reconnecting(port, w));
            }
            for (Watch w : watches) {
                await().atMost(Duration.ofSeconds(10)).until(() -> w.roots.size() == 1);
                assertThat(get(w.roots.get(0).<String>callRemote("name"))).isEqualTo("first");
            }
            first.close();
            for (int i = 0; i < 3; i++) {
                Watch w = watches.get(i);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> w.states.contains(ConnectionState.DISCONNECTED));
                RemoteReference old = w.roots.get(0);
                assertThatThrownBy(() -> get(old.callRemote("name")))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(DeadReferenceException.class);
            }
            second = serve("second", port); // same port
            for (int i = 0; i < 3; i++) {
                Watch w = watches.get(i);
                await().atMost(Duration.ofSeconds(20)).until(() -> w.roots.size() == 2);
                assertThat(get(w.roots.get(1).<String>callRemote("name"))).isEqualTo("second");
                assertThat(clients.get(i).state()).isEqualTo(ConnectionState.CONNECTED);
                assertThat(get(clients.get(i).getRootObject()).<String>callRemote("name")
                        .get(10, TimeUnit.SECONDS)).isEqualTo("second");
                // the old reference stays dead: nothing pretends it survived
                assertThatThrownBy(() -> get(w.roots.get(0).callRemote("name")))
                        .cause().isInstanceOf(DeadReferenceException.class);
                // (watched from after the first connect: its CONNECTED came before)
                assertThat(w.states).containsSubsequence(ConnectionState.DISCONNECTED,
                        ConnectionState.CONNECTING, ConnectionState.CONNECTED);
            }
            assertThat(second.connectionCount()).isEqualTo(3);
        } finally {
            for (PbClient c : clients) {
                c.close();
            }
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aLoggedInClientLogsInAgainAfterTheServerRestartsWithTheSameUserAndMind()
            throws Exception {
        PbServer first = serveLogin("first", 0);
        int port = first.port();
        PbServer second = null;
        Mind mind = new Mind();
        List<RemoteReference> perspectives = new CopyOnWriteArrayList<>();
        Watch w = new Watch();
        try (PbClient client = reconnecting(port, w)) {
            client.onLogin(perspectives::add);
            RemoteReference p1 = get(client.login("alice", PASSWORD.clone(), mind));
            assertThat(perspectives).containsExactly(p1);
            assertThat(get(p1.<String>callRemote("whoami"))).isEqualTo("alice@first");
            await().atMost(Duration.ofSeconds(10)).until(() -> mind.greetings.size() == 1);

            first.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> w.states.contains(ConnectionState.DISCONNECTED));
            second = serveLogin("second", port); // same port, a new process's worth of state
            await().atMost(Duration.ofSeconds(20)).until(() -> perspectives.size() == 2);
            RemoteReference p2 = perspectives.get(1);
            assertThat(get(p2.<String>callRemote("whoami"))).isEqualTo("alice@second");
            assertThat(mind.greetings).containsExactly("first", "second"); // the same mind
            assertThatThrownBy(() -> get(p1.callRemote("whoami")))
                    .cause().isInstanceOf(DeadReferenceException.class);
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void afterLogoutAReconnectDoesNotLogIn() throws Exception {
        PbServer first = serveLogin("first", 0);
        int port = first.port();
        PbServer second = null;
        List<RemoteReference> perspectives = new CopyOnWriteArrayList<>();
        Watch w = new Watch();
        try (PbClient client = reconnecting(port, w)) {
            client.onLogin(perspectives::add);
            get(client.login("alice", PASSWORD.clone(), null));
            get(client.logout());
            first.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> w.states.contains(ConnectionState.DISCONNECTED));
            PbServer restarted = serveLogin("second", port);
            second = restarted;
            await().atMost(Duration.ofSeconds(20)).until(() -> restarted.connectionCount() == 1
                    && client.state() == ConnectionState.CONNECTED);
            assertThat(perspectives).hasSize(1);
            assertThatThrownBy(() -> get(client.getRootObject())) // a login-only server
                    .cause().isInstanceOf(dev.jpb.NoSuchObjectException.class);
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aReloginTheRestartedServerRefusesLeavesTheClientConnectedWithoutASession()
            throws Exception {
        PbServer first = serveLogin("first", 0);
        int port = first.port();
        PbServer second = null;
        List<RemoteReference> perspectives = new CopyOnWriteArrayList<>();
        Watch w = new Watch();
        try (PbClient client = reconnecting(port, w)) {
            client.onLogin(perspectives::add);
            get(client.login("alice", PASSWORD.clone(), null));
            first.close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> w.states.contains(ConnectionState.DISCONNECTED));
            // The restarted server lost its verifiers and made new ones: a new salt, so the
            // saved keys no longer prove anything. The client must not retry forever.
            PbServer restarted = PbServer.builder()
                    .passwords(Passwords.create().add("alice", PASSWORD))
                    .realm((avatarId, mind, connection) -> new User(avatarId, "second"))
                    .bind("127.0.0.1", port).build().start();
            second = restarted;
            await().atMost(Duration.ofSeconds(20)).until(() -> restarted.connectionCount() == 1
                    && client.state() == ConnectionState.CONNECTED);
            assertThat(perspectives).hasSize(1);
            RemoteReference again = get(client.login("alice", PASSWORD.clone(), null));
            assertThat(get(again.<String>callRemote("whoami"))).isEqualTo("alice@second");
            assertThat(restarted.connectionCount()).isEqualTo(1); // never dropped and redialled
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void connectWithReconnectDoesNotThrowWhileTheServerIsDown() throws Exception {
        int port = freePort();
        Watch w = new Watch();
        try (PbClient client = reconnecting(port, w)) {
            assertThat(client.state()).isNotEqualTo(ConnectionState.CONNECTED);
            CompletableFuture<RemoteReference> root = client.getRootObject();
            assertThat(root).isNotDone();
            try (PbServer server = serve("late", port)) {
                assertThat(get(root).<String>callRemote("name").get(10, TimeUnit.SECONDS))
                        .isEqualTo("late");
                await().atMost(Duration.ofSeconds(10)).until(() -> w.roots.size() == 1);
                assertThat(client.connection().isOpen()).isTrue();
            }
        }
    }

    @Test
    void onConnectedAddedWhileConnectedRunsAtOnce() throws Exception {
        try (PbServer server = serve("now", 0)) {
            Watch w = new Watch();
            try (PbClient client = reconnecting(server.port(), w)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> w.roots.size() == 1);
                CompletableFuture<RemoteReference> late = new CompletableFuture<>();
                client.onConnected(late::complete);
                assertThat(get(late)).isSameAs(w.roots.get(0));
            }
        }
    }

    @Test
    void closeStopsReconnecting() throws Exception {
        int port = freePort();
        Watch w = new Watch();
        PbClient client = reconnecting(port, w);
        client.close();
        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThatThrownBy(() -> get(client.getRootObject())).cause()
                .isInstanceOf(DeadReferenceException.class);
        try (PbServer server = serve("ignored", port)) {
            await().during(MAX.multipliedBy(3)).atMost(MAX.multipliedBy(6))
                    .until(() -> server.connectionCount() == 0);
        }
        assertThat(w.roots).isEmpty();
    }

    @Test
    void withoutReconnectOnConnectedRunsOnceWithTheRoot() throws Exception {
        try (PbServer server = serve("once", 0);
                PbClient client = PbClient.connect("127.0.0.1", server.port())) {
            CompletableFuture<RemoteReference> root = new CompletableFuture<>();
            client.onConnected(root::complete);
            assertThat(get(get(root).<String>callRemote("name"))).isEqualTo("once");
            assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
        }
    }

    @Test
    void reconnectRefusesBadDelays() {
        assertThatThrownBy(() -> PbClient.builder().reconnect(Duration.ZERO, MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialDelay");
        assertThatThrownBy(() -> PbClient.builder().reconnect(MAX, INITIAL))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDelay");
    }
}
