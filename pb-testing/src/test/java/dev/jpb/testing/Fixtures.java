package dev.jpb.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.Copyable;
import dev.jpb.LimitExceededException;
import dev.jpb.Limits;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.server.Passwords;
import dev.jpb.server.PbServer;
import dev.jpb.server.Realm;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Test classes that {@link PbServerExtensionTest} runs through the JUnit Platform's
 * {@code EngineTestKit}; they are static nested classes, which Surefire does not run itself.
 */
final class Fixtures {
    /** How long the fixtures wait for tables to drain before failing: short, they leak. */
    static final Duration DRAIN = Duration.ofSeconds(1);

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** What the fixtures saw, for the outer test to look at; cleared before each run. */
    static final List<Object> seen = new CopyOnWriteArrayList<>();

    /** The hint a deliberately leaked buffer carries; set before each run that leaks one. */
    static volatile String leakHint = "";

    private Fixtures() {
    }

    /** A server root that keeps, calls back and hands out references. */
    public static final class Keeper extends Root {
        private final List<RemoteReference> kept = new CopyOnWriteArrayList<>();

        public void remote_keep(RemoteReference callback) {
            kept.add(callback);
        }

        public CompletableFuture<String> remote_ping(RemoteReference callback) {
            return callback.callRemote("pong");
        }

        public Referenceable remote_make() {
            return new Callback();
        }

        public Object remote_echo(Object value) {
            return value;
        }
    }

    /** A copied value the fixtures register. */
    public record Point(int x, int y) implements Copyable {
    }

    /** A client-side object passed by reference. */
    public static final class Callback extends Referenceable {
        public String remote_pong() {
            return "pong";
        }
    }

    static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static void leakABuffer() {
        ByteBuf leaked = ByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
        leaked.touch(leakHint);
        // never released; unreachable once this method returns
    }

    @Timeout(30)
    static class KeepsACallback {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        @Test
        void theServerKeepsTheClientsCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
        }
    }

    @Timeout(30)
    static class KeepsACallbackButSkipsTheCheck {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        @Test
        @SkipTableCheck("the callback is kept on purpose")
        void theServerKeepsTheClientsCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
        }
    }

    @Timeout(30)
    @SkipTableCheck("every test here keeps a callback")
    static class KeepsCallbacksInAClassThatSkipsTheCheck {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        @Test
        void theServerKeepsTheClientsCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
        }
    }

    @Timeout(30)
    static class UsesTheBuilderOptions {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper()))
                .register(Point.class)
                .clients(b -> b.limits(Limits.builder().maxFrameBytes(1024).build()))
                .build();

        @Test
        void registeredTypesCrossBothWays() throws Exception {
            assertThat(Fixtures.<Object>get(server.newRoot().callRemote("echo", new Point(1, 2))))
                    .isEqualTo(new Point(1, 2));
        }

        @Test
        void clientOptionsApplyAndNewClientOptionsComeLast() throws Exception {
            RemoteReference small = server.newRoot();
            PbClient large = server.newClient(
                    b -> b.limits(Limits.builder().maxFrameBytes(1 << 20).build()));

            assertThat(small.callRemote("echo", new byte[4096])).failsWithin(WAIT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(LimitExceededException.class);
            assertThat(Fixtures.<Object>get(server.rootOf(large).callRemote("echo",
                    new byte[4096]))).isInstanceOf(byte[].class);
        }
    }

    @Timeout(30)
    static class KeepsACallbackWithTheCheckOff {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).checkTables(false).build();

        @Test
        void theServerKeepsTheClientsCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
        }
    }

    @Timeout(30)
    static class KeepsACallbackAndFailsOnItsOwn {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        @Test
        void failsAfterTheServerKeptTheCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
            assertThat("its own").as("the test's own failure").isEqualTo("failure");
        }
    }

    @Timeout(30)
    static class HoldsAReferenceInAField {
        static RemoteReference held;

        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        @Test
        void keepsAServerObjectPastTheTest() throws Exception {
            held = get(server.newRoot().callRemote("make"));
        }
    }

    /** One user's session: hands out a fresh server object on request. */
    public static final class Desk extends Avatar {
        public Referenceable perspective_make() {
            return new Callback();
        }
    }

    /** A server where "ada" (password "lovelace") logs in to a {@link Desk}. */
    static PbServerExtension desks() {
        Realm desks = (String avatarId, RemoteReference mind, Connection connection) -> new Desk();
        return PbServerExtension.builder()
                .server(b -> b.realm(desks)
                        .passwords(Passwords.create().add("ada", "lovelace".toCharArray())))
                .timeout(DRAIN).build();
    }

    /** Logs in and keeps nothing: the session's perspective, which its client holds, may stay. */
    @Timeout(30)
    static class StaysLoggedIn {
        @RegisterExtension
        static final PbServerExtension server = desks();

        @Test
        void logsInAndDropsThePerspective() throws Exception {
            RemoteReference made = get(server.newLogin("ada", "lovelace".toCharArray())
                    .callRemote("make"));
            assertThat(Fixtures.<String>get(made.callRemote("pong"))).isEqualTo("pong");
        }
    }

    /** Logs in and keeps an object its perspective made: that one is a leak. */
    @Timeout(30)
    static class StaysLoggedInAndHoldsAReference {
        static RemoteReference held;

        @RegisterExtension
        static final PbServerExtension server = desks();

        @Test
        void keepsWhatThePerspectiveMade() throws Exception {
            held = get(server.newLogin("ada", "lovelace".toCharArray()).callRemote("make"));
        }
    }

    /** Keeps its root in a field, as tests do: the kit lets a root from it stay. */
    @Timeout(30)
    static class HoldsItsRootInAField {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).build();

        private RemoteReference root;

        @BeforeEach
        void connect() {
            root = server.newRoot();
        }

        @Test
        void callsItsRoot() throws Exception {
            assertThat(Fixtures.<Object>get(root.callRemote("echo", "x"))).isEqualTo("x");
        }
    }

    /** Passes references both ways and drops them: the tables drain, the test passes. */
    @Timeout(30)
    static class DropsItsReferences {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        void callsBackAndDropsWhatItGot() throws Exception {
            PbClient client = server.newClient();
            RemoteReference root = server.rootOf(client);
            assertThat(Fixtures.<String>get(root.callRemote("ping", new Callback())))
                    .isEqualTo("pong");
            RemoteReference made = get(root.callRemote("make"));
            assertThat(Fixtures.<String>get(made.callRemote("pong"))).isEqualTo("pong");
            assertThat(client.connection().importedReferenceCount()).isEqualTo(2);
            seen.add(client);
        }
    }

    @Timeout(30)
    static class LeaksABuffer {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        void dropsABufferWithoutReleasingIt() {
            leakABuffer();
        }
    }

    @Timeout(30)
    static class LeaksABufferOnPurpose {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        @AllowBufferLeaks("the test leaks one on purpose")
        void dropsABufferWithoutReleasingIt() {
            leakABuffer();
        }
    }

    @Timeout(30)
    static class LeaksABufferWithTheCheckOff {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).checkBufferLeaks(false).build();

        @Test
        void dropsABufferWithoutReleasingIt() {
            leakABuffer();
        }
    }

    @Timeout(30)
    static class KeepsACallbackLocally {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).timeout(DRAIN).local().build();

        @Test
        void theServerKeepsTheClientsCallback() throws Exception {
            get(server.newRoot().callRemote("keep", new Callback()));
        }
    }

    @Timeout(30)
    static class LeaksABufferLocally {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).local().build();

        @Test
        void dropsABufferWithoutReleasingIt() throws Exception {
            assertThat(Fixtures.<String>get(server.newRoot().callRemote("ping", new Callback())))
                    .isEqualTo("pong");
            leakABuffer();
        }
    }

    /** Calls, references and callbacks over the in-process transport, leaving nothing. */
    @Timeout(30)
    static class CleanLocally {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.builder()
                .server(b -> b.root(new Keeper())).register(Point.class).local().build();

        @Test
        void callsTheRootAndDropsWhatItMade() throws Exception {
            RemoteReference root = server.newRoot();
            assertThat(Fixtures.<String>get(root.callRemote("ping", new Callback())))
                    .isEqualTo("pong");
            assertThat(Fixtures.<Object>get(root.callRemote("echo", new Point(1, 2))))
                    .isEqualTo(new Point(1, 2));
            RemoteReference made = get(root.callRemote("make"));
            assertThat(Fixtures.<String>get(made.callRemote("pong"))).isEqualTo("pong");
            made.release();
            assertThat(server.server().address().toString()).startsWith("local:jpb-test-");
            seen.add(server.server().connections().iterator().next().remoteAddress());
        }
    }

    /** A clean test, run after a leaking one to see that it is not blamed. */
    @Timeout(30)
    static class Clean {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        void callsTheRoot() throws Exception {
            assertThat(Fixtures.<String>get(server.newRoot().callRemote("ping", new Callback())))
                    .isEqualTo("pong");
        }
    }

    @Timeout(30)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerClass {
        @RegisterExtension
        static final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        @Order(1)
        void first() {
            seen.add(server.server());
            seen.add(server.newClient());
        }

        @Test
        @Order(2)
        void second() {
            seen.add(server.server());
            seen.add(server.newClient());
        }
    }

    @Timeout(30)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class PerTest {
        @RegisterExtension
        final PbServerExtension server = PbServerExtension.of(b -> b.root(new Keeper()));

        @Test
        @Order(1)
        void first() {
            seen.add(server.server());
            seen.add(server.newClient());
        }

        @Test
        @Order(2)
        void second() {
            PbServer previous = (PbServer) seen.get(0);
            seen.add(server.server());
            seen.add(server.newClient());
            seen.add(previous.connectionCount());
        }
    }
}
