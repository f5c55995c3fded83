package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import dev.jpb.server.PbServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A server on 127.0.0.1:0 and clients connected to it over real sockets, or, made with {@link
 * #local}, over the in-process transport (everything but the sockets; for tests of what the
 * broker does, not of the network). {@link #close()} closes everything and checks that no
 * connection is left with references in its tables.
 */
final class Loopback implements AutoCloseable {
    private static final AtomicLong LOCAL_NAMES = new AtomicLong();
    final PbServer server;
    private final Class<?>[] types;
    private final List<PbClient> clients = new ArrayList<>();
    private final String localName; // null: TCP

    Loopback(Root root, Class<?>... types) {
        this(root, b -> b, types);
    }

    Loopback(Root root, UnaryOperator<PbServer.Builder> options, Class<?>... types) {
        this(null, root, options, types);
    }

    private Loopback(String localName, Root root, UnaryOperator<PbServer.Builder> options,
            Class<?>... types) {
        this.types = types;
        this.localName = localName;
        PbServer.Builder b = PbServer.builder().root(root);
        if (localName == null) {
            b.bind("127.0.0.1", 0);
        } else {
            b.bindLocal(localName);
        }
        this.server = options.apply(b.register(types)).build().start();
    }

    /** A server and clients over the in-process transport. */
    static Loopback local(Root root, Class<?>... types) {
        return local(root, b -> b, types);
    }

    /** A server and clients over the in-process transport. */
    static Loopback local(Root root, UnaryOperator<PbServer.Builder> options,
            Class<?>... types) {
        return new Loopback("loopback-" + LOCAL_NAMES.incrementAndGet(), root, options, types);
    }

    PbClient client() {
        return client(b -> b);
    }

    PbClient client(UnaryOperator<PbClient.Builder> options) {
        PbClient.Builder b = options.apply(PbClient.builder().register(types));
        PbClient c = localName == null ? b.connect("127.0.0.1", server.port())
                : b.connectLocal(localName);
        clients.add(c);
        return c;
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /**
     * Checks that {@code ref}'s {@code remote_echo(int)} answers 20 calls in a row, each
     * within a second: its connection is served while another peer misbehaves.
     */
    static void echoesWithinASecond(RemoteReference ref) throws Exception {
        for (int i = 0; i < 20; i++) {
            assertThat(ref.<Integer>callRemote("echo", i).get(1, TimeUnit.SECONDS))
                    .isEqualTo(i);
        }
    }

    /** Waits for {@code call} to fail with a {@link RemoteCallException} and returns it. */
    static RemoteCallException remoteFailure(java.util.concurrent.CompletableFuture<?> call) {
        Throwable thrown = catchThrowable(() -> get(call));
        assertThat(thrown).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(RemoteCallException.class);
        return (RemoteCallException) thrown.getCause();
    }

    /**
     * Waits, collecting garbage, until no connection's tables hold anything: the references
     * the test dropped or released have been given back.
     */
    void assertTablesDrain() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
            System.gc();
            for (Connection c : server.connections()) {
                assertThat(c.exportedObjectCount()).as("server exports of %s", c).isZero();
                assertThat(c.importedReferenceCount()).as("server imports of %s", c).isZero();
            }
            for (PbClient client : clients) {
                assertThat(client.connection().exportedObjectCount()).isZero();
            }
        });
    }

    @Override
    public void close() {
        for (PbClient c : clients) {
            c.close();
        }
        server.close();
        for (PbClient c : clients) {
            assertThat(c.connection().isOpen()).isFalse();
            assertThat(c.connection().exportedObjectCount()).isZero();
            assertThat(c.connection().importedReferenceCount()).isZero();
        }
        assertThat(server.connections()).isEmpty();
    }
}
