package dev.jpb.testing;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import dev.jpb.TlsIdentity;
import dev.jpb.client.PbClient;
import dev.jpb.server.ClientCertificates;
import dev.jpb.server.PbServer;
import io.netty.channel.local.LocalAddress;
import java.lang.annotation.Annotation;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * A JUnit 5 extension that runs a real jpb server on {@code 127.0.0.1}, on a free port, and
 * hands out clients connected to it over real sockets.
 *
 * <pre>{@code
 * class CalculatorTest {
 *     @RegisterExtension
 *     static PbServerExtension server = PbServerExtension.of(b -> b.root(new Calculator()));
 *
 *     @Test
 *     void adds() throws Exception {
 *         RemoteReference root = server.newRoot();
 *         assertThat(root.<Integer>callRemote("add", 2, 3).get(5, SECONDS)).isEqualTo(5);
 *     }
 * }
 * }</pre>
 *
 * <p>With {@link Builder#local()}, the server and its clients talk over jpb's in-process
 * transport instead (Netty's local channels): everything but the sockets is the same, the
 * checks below included.
 *
 * <p>Registered on a {@code static} field, the server starts before the first test of the
 * class and stops after the last; on an instance field, every test gets a server of its own.
 * Clients made during a test are closed after it; clients made outside a test (in a
 * {@code @BeforeAll} method) are closed after the class.
 *
 * <p>After each test that passed, two checks run; either failing fails the test:
 * <ol>
 *   <li><b>Reference tables drained.</b> Waiting up to the {@linkplain Builder#timeout timeout}
 *   (collecting garbage meanwhile, since dropped references are given back in batches), no
 *   connection of a client made during the test may hold a reference to the other side or be
 *   referenced by it, and no server connection may hold a reference to its client's objects.
 *   Roots are the exception: a root from {@link #rootOf} or {@link #newRoot} that the test
 *   still holds (in a field, say) may stay, and so may the root of each server connection of a
 *   client the kit did not make. The
 *   check runs before the clients close (closing drops every table, which would hide a leak):
 *   a service that rightly keeps a client's callback until that client disconnects needs the
 *   test to close that client itself, or {@link SkipTableCheck}.
 *   <li><b>No Netty buffer leaked.</b> The kit hooks Netty's {@code ResourceLeakDetector} for
 *   {@code ByteBuf}s, raises its level to {@code PARANOID} for the JVM (every buffer tracked),
 *   collects garbage after the clients (and, for a per-test server, the server) closed, and
 *   fails the test if Netty reported a buffer that was garbage collected without being
 *   released. Opt out with {@link AllowBufferLeaks}. The check finds leaked buffers that are
 *   garbage by then; a buffer still referenced is not a leak yet, a collection the JVM skips
 *   ({@code -XX:+DisableExplicitGC}) delays the report, Netty reports each distinct leak trace
 *   once per JVM, only buffers allocated after the kit raised the level are tracked, and a leak
 *   by a thread that outlives the test (the I/O thread of a per-class server) may surface after
 *   a later test. Netty reports leaks only while its logger has level {@code ERROR} enabled.
 * </ol>
 * A test that failed on its own is not checked (its failure is the interesting one).
 *
 * <p>Thread-safe; tests of one class must not run concurrently against one per-class server.
 */
public final class PbServerExtension
        implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final AtomicLong LOCAL_NAMES = new AtomicLong();

    private final Consumer<PbServer.Builder> serverOptions;
    private final Consumer<PbClient.Builder> clientOptions;
    private final Class<?>[] types;
    private final Duration timeout;
    private final boolean checkTables;
    private final boolean checkBufferLeaks;
    private final boolean local;
    private final TlsIdentity tls; // the server's, its clients pinned to it; or null
    private final TlsIdentity clientIdentity; // mutual TLS: what the kit's clients present

    private PbServer server; // guarded by this
    private boolean perTest; // guarded by this
    private int classDepth; // guarded by this; > 0 between beforeAll and afterAll
    private boolean inTest; // guarded by this
    private final List<PbClient> testClients = new ArrayList<>(); // guarded by this
    private final List<PbClient> classClients = new ArrayList<>(); // guarded by this
    // The roots handed out by rootOf, weakly: a root the test still holds may stay exported.
    private final Map<PbClient, WeakReference<RemoteReference>> roots =
            new HashMap<>(); // guarded by this

    private PbServerExtension(Builder b) {
        this.serverOptions = b.serverOptions;
        this.clientOptions = b.clientOptions;
        this.types = b.types;
        this.timeout = b.timeout;
        this.checkTables = b.checkTables;
        this.checkBufferLeaks = b.checkBufferLeaks;
        this.local = b.local;
        this.tls = b.tls;
        this.clientIdentity = b.clientIdentity;
    }

    /**
     * Returns an extension whose server is configured by {@code server}, with every check on.
     * The builder it receives is already bound to {@code 127.0.0.1} port 0.
     *
     * @param server configures the server, e.g. {@code b -> b.root(new MyRoot())}
     * @return a new extension
     */
    public static PbServerExtension of(Consumer<PbServer.Builder> server) {
        return builder().server(server).build();
    }

    /**
     * Returns a builder for an extension with more options.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the running server.
     *
     * @return the server
     * @throws IllegalStateException outside the extension's tests
     */
    public synchronized PbServer server() {
        checkState(server != null, "the server is not running: register the extension with"
                + " @RegisterExtension and use it inside a test, or in a @BeforeAll or"
                + " @BeforeEach method");
        return server;
    }

    /**
     * Returns the port the server listens on.
     *
     * @return the port
     * @throws IllegalStateException outside the extension's tests, or with {@link
     *     Builder#local()}
     */
    public int port() {
        return server().port();
    }

    /**
     * Connects a new client with the extension's client options; it is closed after the test
     * (or after the class, when made outside a test).
     *
     * @return a connected client
     * @throws IllegalStateException outside the extension's tests
     * @throws dev.jpb.PbException if it cannot connect
     */
    public PbClient newClient() {
        return newClient(b -> { });
    }

    /**
     * Connects a new client; {@code options} may change its builder after the extension's
     * types and client options were applied. It is closed after the test (or after the class,
     * when made outside a test).
     *
     * @param options configures the client, e.g. {@code b -> b.executor(Runnable::run)}
     * @return a connected client
     * @throws IllegalStateException outside the extension's tests
     * @throws dev.jpb.PbException if it cannot connect
     */
    public PbClient newClient(Consumer<PbClient.Builder> options) {
        requireNonNull(options, "options");
        PbServer running = server();
        PbClient.Builder builder = PbClient.builder().register(types);
        if (tls != null) {
            builder.pinServer(tls.fingerprint());
        }
        if (clientIdentity != null) {
            builder.clientIdentity(clientIdentity);
        }
        clientOptions.accept(builder);
        options.accept(builder);
        PbClient client;
        if (local) {
            client = builder.connectLocal(((LocalAddress) running.address()).id());
        } else {
            InetSocketAddress address = running.localAddress();
            String host = address.getAddress().isAnyLocalAddress()
                    ? "127.0.0.1" : address.getHostString();
            client = builder.connect(host, address.getPort());
        }
        synchronized (this) {
            (inTest ? testClients : classClients).add(client);
        }
        return client;
    }

    /**
     * Waits, at most the timeout, for {@code client}'s root object.
     *
     * @param client a connected client
     * @return the server's root for that client
     * @throws dev.jpb.PbException as the root request failed
     * @throws AssertionError if no root arrived within the timeout
     */
    public RemoteReference rootOf(PbClient client) {
        RemoteReference root = await(client.getRootObject(), "the root request of " + client);
        synchronized (this) {
            roots.put(client, new WeakReference<>(root));
        }
        return root;
    }

    /**
     * Connects a new client (as {@link #newClient()}) and returns its root object.
     *
     * @return the root of a new client
     * @throws dev.jpb.PbException if it cannot connect or the root request failed
     */
    public RemoteReference newRoot() {
        return rootOf(newClient());
    }

    /**
     * Returns the server's TLS identity, or null without {@link Builder#tls()}.
     *
     * @return the identity the clients are pinned to, or null
     */
    public TlsIdentity tlsIdentity() {
        return tls;
    }

    /**
     * Returns the identity the kit's clients present, or null without
     * {@link Builder#mutualTls()}.
     *
     * @return the clients' identity (the server pins its fingerprint), or null
     */
    public TlsIdentity clientIdentity() {
        return clientIdentity;
    }

    /**
     * Connects a new client (as {@link #newClient()}), logs in by its certificate with no
     * mind, and returns the perspective, waiting at most the timeout. Needs
     * {@link Builder#mutualTls()} and a server with a realm and
     * {@code certificateLogin(..)}.
     *
     * @return the avatar's perspective
     * @throws dev.jpb.LoginFailedException if the server refused the login
     * @throws AssertionError if no answer came within the timeout
     */
    public RemoteReference newCertificateLogin() {
        return await(newClient().loginWithCertificate(null), "the certificate login");
    }

    /**
     * Connects a new client (as {@link #newClient()}), logs in as {@code username} with no
     * mind, and returns the perspective, waiting at most the timeout. The server needs a
     * realm and credentials ({@code b -> b.realm(..).passwords(..)}).
     *
     * @param username the user
     * @param password the password; the caller may clear it afterwards
     * @return the avatar's perspective
     * @throws dev.jpb.LoginFailedException if the server refused the login
     * @throws AssertionError if no answer came within the timeout
     */
    public RemoteReference newLogin(String username, char[] password) {
        return await(newClient().login(username, password, null), "the login of " + username);
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AssertionError(what + " failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(what + ": no answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + what, e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        synchronized (this) {
            if (classDepth++ == 0 && server == null) {
                server = startServer();
                perTest = false;
            }
        }
        if (checkBufferLeaks) {
            BufferLeaks.install();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (checkBufferLeaks) {
            BufferLeaks.install();
            // Leaks from before the test are not its own.
            BufferLeaks.collect(1);
        }
        synchronized (this) {
            if (server == null) {
                server = startServer();
                perTest = true;
            }
            inTest = true;
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        boolean passed = context.getExecutionException().isEmpty();
        List<PbClient> clients;
        Map<PbClient, WeakReference<RemoteReference>> held = new HashMap<>();
        PbServer running;
        boolean stopServer;
        synchronized (this) {
            inTest = false;
            clients = List.copyOf(testClients);
            testClients.clear();
            for (PbClient c : clients) {
                WeakReference<RemoteReference> root = roots.remove(c);
                if (root != null) {
                    held.put(c, root);
                }
            }
            running = server;
            stopServer = perTest;
            if (perTest) {
                server = null;
            }
        }
        Failures failures = new Failures();
        if (running == null) { // the server did not start; that failure is the test's
            failures.run(() -> closeAll(clients));
            failures.throwIfAny();
            return;
        }
        if (passed && checkTables && !annotated(context, SkipTableCheck.class)) {
            failures.run(() -> awaitTablesDrain(clients, held, running));
        }
        int others = running.connectionCount() - openCount(clients);
        failures.run(() -> closeAll(clients));
        if (stopServer) {
            failures.run(running::close);
            failures.run(() -> check(running.connections().isEmpty(),
                    "the server still lists connections after close(): "
                            + running.connections()));
        } else {
            failures.run(() -> awaitConnectionsClosed(running, others));
        }
        if (checkBufferLeaks) {
            List<String> leaks = BufferLeaks.collect();
            if (passed && !annotated(context, AllowBufferLeaks.class) && !leaks.isEmpty()) {
                failures.add(new AssertionError("Netty found " + leaks.size()
                        + " ByteBuf(s) garbage collected without release() during the test;"
                        + " release every buffer you own (or mark the test @AllowBufferLeaks):\n"
                        + String.join("\n", leaks)));
            }
        }
        failures.throwIfAny();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<PbClient> clients;
        PbServer running = null;
        synchronized (this) {
            if (--classDepth > 0) {
                return;
            }
            clients = List.copyOf(classClients);
            classClients.clear();
            roots.clear();
            if (!perTest) {
                running = server;
                server = null;
            }
        }
        Failures failures = new Failures();
        failures.run(() -> closeAll(clients));
        if (running != null) {
            failures.run(running::close);
        }
        failures.throwIfAny();
    }

    private PbServer startServer() {
        PbServer.Builder builder = PbServer.builder().register(types);
        if (local) {
            builder.bindLocal("jpb-test-" + LOCAL_NAMES.incrementAndGet());
        } else {
            builder.bind("127.0.0.1", 0);
        }
        if (tls != null) {
            builder.tls(tls);
        }
        if (clientIdentity != null) {
            builder.requireClientCertificates(
                    ClientCertificates.pinned(clientIdentity.fingerprint()));
        }
        serverOptions.accept(builder);
        return builder.build().start();
    }

    private void awaitTablesDrain(List<PbClient> clients,
            Map<PbClient, WeakReference<RemoteReference>> held, PbServer running) {
        List<Connection> connections = new ArrayList<>();
        for (PbClient c : clients) {
            connections.add(c.connection());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> left = Tables.undrained(connections, referencesHeld(clients, held),
                running.connections());
        while (!left.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("reference tables did not drain within " + timeout
                        + " after the test:\n  " + String.join("\n  ", left)
                        + "\nSomething still holds a reference at the end of the test: drop it"
                        + " or release() it (a service keeping a callback counts), close that"
                        + " client inside the test, or mark the test @SkipTableCheck");
            }
            // Unreachable references are given back once collected, in batches.
            BufferLeaks.collectGarbage();
            LockSupport.parkNanos(POLL.toNanos());
            left = Tables.undrained(connections, referencesHeld(clients, held),
                    running.connections());
        }
    }

    // How many imports each client may keep: its root while the test still references it,
    // and its current session's perspective, which the client itself holds until logout.
    private static Map<Connection, Integer> referencesHeld(List<PbClient> clients,
            Map<PbClient, WeakReference<RemoteReference>> roots) {
        Map<Connection, Integer> held = new HashMap<>();
        for (PbClient client : clients) {
            WeakReference<RemoteReference> root = roots.get(client);
            int n = (root != null && root.get() != null ? 1 : 0)
                    + (client.perspective().isPresent() ? 1 : 0);
            if (n > 0) {
                held.put(client.connection(), n);
            }
        }
        return held;
    }

    private void closeAll(List<PbClient> clients) {
        Failures failures = new Failures();
        for (int i = clients.size() - 1; i >= 0; i--) {
            PbClient c = clients.get(i);
            failures.run(c::close);
            failures.run(() -> {
                Connection connection = c.connection();
                check(!connection.isOpen(), c + " is still open after close()");
                check(connection.exportedObjectCount() == 0
                                && connection.importedReferenceCount() == 0,
                        c + " kept references after close(): exports "
                                + connection.exportedObjectCount() + ", imports "
                                + connection.importedReferenceCount());
            });
        }
        failures.throwIfAny();
    }

    private void awaitConnectionsClosed(PbServer running, int others) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.connectionCount() > Math.max(0, others)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("the server still lists " + running.connectionCount()
                        + " connection(s) " + timeout + " after the test's clients closed"
                        + " (expected at most " + others + "): " + running.connections());
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    private static int openCount(List<PbClient> clients) {
        return (int) clients.stream().filter(c -> c.connection().isOpen()).count();
    }

    private static boolean annotated(ExtensionContext context,
            Class<? extends Annotation> annotation) {
        if (AnnotationSupport.isAnnotated(context.getTestMethod(), annotation)) {
            return true;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null;
                c = c.getEnclosingClass()) {
            if (AnnotationSupport.isAnnotated(c, annotation)) {
                return true;
            }
        }
        return false;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** The first failure, with the later ones suppressed on it. */
    private static final class Failures {
        private Throwable first;

        void run(Runnable step) {
            try {
                step.run();
            } catch (RuntimeException | AssertionError e) {
                add(e);
            }
        }

        void add(Throwable t) {
            if (first == null) {
                first = t;
            } else {
                first.addSuppressed(t);
            }
        }

        void throwIfAny() {
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
        }
    }

    /** Configures a {@link PbServerExtension}; not thread-safe. */
    public static final class Builder {
        private Consumer<PbServer.Builder> serverOptions = b -> { };
        private Consumer<PbClient.Builder> clientOptions = b -> { };
        private Class<?>[] types = new Class<?>[0];
        private Duration timeout = Duration.ofSeconds(10);
        private boolean checkTables = true;
        private boolean checkBufferLeaks = true;
        private boolean local;
        private TlsIdentity tls;
        private TlsIdentity clientIdentity; // mutual TLS: the kit clients' certificate

        private Builder() {
        }

        /**
         * Runs the server over TLS with a self-signed identity made for this extension (EC
         * P-256, {@code CN=127.0.0.1}), and pins every client the kit makes to it, as {@link
         * PbClient.Builder#pinServer} would: the tests then run over the same {@code
         * SslHandler} as production. {@link PbServerExtension#tlsIdentity()} returns the
         * identity (its fingerprint, for a client made by hand). Not with {@link #local()}.
         *
         * @return this builder
         */
        public Builder tls() {
            return tls(TlsIdentity.selfSigned("127.0.0.1"));
        }

        /**
         * As {@link #tls()}, with {@code identity} as the server's (a PEM-loaded one, say).
         *
         * @param identity the server's certificate chain and key
         * @return this builder
         */
        public Builder tls(TlsIdentity identity) {
            this.tls = requireNonNull(identity, "identity");
            return this;
        }

        /**
         * As {@link #tls()}, with mutual TLS: the server also requires client certificates and
         * pins one made for this extension ({@code CN=jpb-test-client}), which every client the
         * kit makes presents ({@link PbClient.Builder#clientIdentity}). With
         * {@code b -> b.realm(..).certificateLogin(..)} among the server options those clients
         * log in by it ({@link PbServerExtension#newCertificateLogin()}).
         * {@link PbServerExtension#clientIdentity()} returns the identity; a client made with
         * {@code newClient(b -> b.clientIdentity(other))} presents another.
         *
         * @return this builder
         */
        public Builder mutualTls() {
            if (tls == null) {
                tls();
            }
            this.clientIdentity = TlsIdentity.selfSigned("jpb-test-client");
            return this;
        }

        /**
         * Runs the server and its clients over jpb's in-process transport (Netty's local
         * channels, no sockets) instead of TCP on {@code 127.0.0.1}: the same pipeline,
         * handshake, broker and checks, without the kernel's loopback, so tests start and run
         * faster. {@link PbServerExtension#port()} has no meaning then (it throws); the
         * server's {@link PbServer#address()} is its in-process name. Default off.
         *
         * @return this builder
         */
        public Builder local() {
            this.local = true;
            return this;
        }

        /**
         * Configures the server; its builder is already bound to {@code 127.0.0.1} port 0 and
         * has the {@linkplain #register registered} types. The server needs a root (or
         * whatever else {@link PbServer.Builder#build()} requires).
         *
         * @param options e.g. {@code b -> b.root(new MyRoot())}
         * @return this builder
         */
        public Builder server(Consumer<PbServer.Builder> options) {
            this.serverOptions = requireNonNull(options, "options");
            return this;
        }

        /**
         * Configures every client before the options passed to
         * {@link PbServerExtension#newClient(Consumer)}.
         *
         * @param options e.g. {@code b -> b.limits(limits)}
         * @return this builder
         */
        public Builder clients(Consumer<PbClient.Builder> options) {
            this.clientOptions = requireNonNull(options, "options");
            return this;
        }

        /**
         * Registers these classes for copying on the server and on every client.
         *
         * @param types classes that implement {@link dev.jpb.Copyable}
         * @return this builder
         */
        public Builder register(Class<?>... types) {
            requireNonNull(types, "types");
            this.types = types.clone();
            return this;
        }

        /**
         * Sets how long the kit waits for a root object, for the tables to drain and for the
         * server to drop closed connections; default 10 s.
         *
         * @param timeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if {@code timeout} is not positive
         */
        public Builder timeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            checkArgument(!timeout.isNegative() && !timeout.isZero(),
                    "timeout: %s (expected: > 0)", timeout);
            this.timeout = timeout;
            return this;
        }

        /**
         * Turns the reference-table check after each test on or off; default on.
         *
         * @param check whether to check
         * @return this builder
         */
        public Builder checkTables(boolean check) {
            this.checkTables = check;
            return this;
        }

        /**
         * Turns the Netty buffer-leak check after each test on or off; default on. Off, the
         * kit neither hooks Netty's leak detector nor changes its level.
         *
         * @param check whether to check
         * @return this builder
         */
        public Builder checkBufferLeaks(boolean check) {
            this.checkBufferLeaks = check;
            return this;
        }

        /**
         * Returns the extension; register it on a field with {@code @RegisterExtension}.
         *
         * @return a new extension
         */
        public PbServerExtension build() {
            checkState(tls == null || !local, "tls() and local() exclude each other: the"
                    + " in-process transport has no TLS; choose one");
            return new PbServerExtension(this);
        }
    }
}
