package dev.jpb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 11, 6(b), over real sockets: a call whose arguments the server cannot decode part-way
 * (a type it does not allow, after and before references) gives every reference in it back,
 * on both sides, at once: the server counts none of them, the client releases each send when
 * the ERROR says the arguments were not read. No garbage collection is involved: the tables
 * are checked without one.
 */
@Timeout(60)
class UndecodableArgumentsTest {
    /** Registered on the client only: the server refuses it. */
    static final class Secret implements Copyable {
        String value = "s3cr3t";
    }

    /** A client object the server receives by reference. */
    public static class Leaf extends Referenceable {
        public int remote_one() {
            return 1;
        }
    }

    public static class Server extends Root {
        final List<RemoteReference> kept = new ArrayList<>();

        public int remote_take(Object a, Object b, Object c, Object d) {
            return 4;
        }

        public int remote_keep(RemoteReference leaf) {
            synchronized (kept) {
                kept.add(leaf);
            }
            return kept.size();
        }

        public void remote_drop() {
            synchronized (kept) {
                kept.forEach(RemoteReference::release);
                kept.clear();
            }
        }
    }

    @Test
    void referencesBeforeAndAfterAnUndecodableArgumentAreAllGivenBackInEachPosition()
            throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            PbClient client = lo.client(b -> b.register(Secret.class));
            RemoteReference root = Loopback.get(client.getRootObject());
            Connection serverSide = lo.server.connections().iterator().next();
            for (int position = 0; position < 4; position++) {
                Object[] args = new Object[4];
                Leaf shared = new Leaf();
                for (int i = 0; i < 4; i++) {
                    // a fresh leaf, the same leaf twice, and a leaf inside a list
                    args[i] = i == position ? new Secret()
                            : i == 0 ? new Leaf() : i == 3 ? List.of(shared, 7) : shared;
                }
                assertRefused(root.callRemote("take", args), position);
                assertBaseline(client, serverSide, "after the bad argument at " + position);
            }
            assertThat(Loopback.get(root.<Integer>callRemote("take", new Leaf(), 1, 2, 3)))
                    .isEqualTo(4); // the connection still serves, references still count
        }
    }

    @Test
    void aReferenceTheServerAlreadyHoldsKeepsItsOneReceipt() throws Exception {
        try (Loopback lo = new Loopback(new Server())) {
            PbClient client = lo.client(b -> b.register(Secret.class));
            RemoteReference root = Loopback.get(client.getRootObject());
            Connection serverSide = lo.server.connections().iterator().next();
            Leaf leaf = new Leaf();
            assertThat(Loopback.get(root.<Integer>callRemote("keep", leaf))).isEqualTo(1);
            assertRefused(root.callRemote("take", leaf, leaf, new Secret(), leaf), 2);
            assertThat(client.connection().exportedObjectCount()).isEqualTo(1);
            assertThat(serverSide.importedReferenceCount()).isEqualTo(1);
            Loopback.get(root.callRemote("drop")); // one DECREF of one send: the leaf leaves
            assertBaseline(client, serverSide, "after the kept leaf is dropped");
        }
    }

    private static void assertRefused(java.util.concurrent.CompletableFuture<?> call,
            int position) {
        Throwable thrown = catchThrowable(() -> call.get(10, TimeUnit.SECONDS));
        assertThat(thrown).as("call with the unregistered type at %d", position)
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(PbException.class)
                .hasMessageContaining(Secret.class.getName());
    }

    /** The root is the server's one export and the client's one import; nothing else. */
    private static void assertBaseline(PbClient client, Connection serverSide, String when) {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(client.connection().exportedObjectCount()).as("client exports " + when)
                    .isZero();
            assertThat(serverSide.importedReferenceCount()).as("server imports " + when)
                    .isZero();
            assertThat(serverSide.exportedObjectCount()).as("server exports " + when)
                    .isEqualTo(1);
            assertThat(client.connection().importedReferenceCount())
                    .as("client imports " + when).isEqualTo(1);
        });
    }
}
