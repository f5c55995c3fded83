package dev.jpb.twisted;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.PbException;
import dev.jpb.Root;
import dev.jpb.internal.twisted.Endpoint;
import dev.jpb.internal.twisted.Md5Portal;
import dev.jpb.internal.twisted.TwistedBroker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a jpb {@link Root} to Twisted PB clients (Python {@code PBClientFactory}): their
 * {@code getRootObject()} answers a reference to {@code root.rootObject(connection)}.
 *
 * <pre>{@code
 * try (TwistedPbServer server = TwistedPbServer.builder()
 *         .root(new Calculator()).bind("127.0.0.1", 0)
 *         .registerCopy("shared.Point", Point.class).build().start()) {
 *     System.out.println("PB on port " + server.port());
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes every connection and the threads it owns.
 */
public final class TwistedPbServer implements AutoCloseable {
    private final Root root;
    private final String host;
    private final int requestedPort;
    private final Endpoint.Settings settings;
    private Endpoint endpoint; // guarded by "this"
    private int port;          // guarded by "this"

    private TwistedPbServer(Builder b) {
        this.root = b.portal != null ? b.portal : b.root;
        this.host = b.host;
        this.requestedPort = b.port;
        this.settings = b.settings.build();
    }

    /** {@return a builder; {@code root} and {@code bind} are required} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts accepting; returns once bound.
     *
     * @return this server
     * @throws PbException           if the port cannot be bound
     * @throws IllegalStateException if already started
     */
    public synchronized TwistedPbServer start() {
        checkState(endpoint == null, "already started");
        endpoint = new Endpoint(settings, "jpb-twisted-server");
        try {
            port = endpoint.bind(host, requestedPort, root);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            endpoint.close();
            throw new PbException("interrupted while binding", e);
        } catch (RuntimeException e) {
            endpoint.close();
            throw new PbException("cannot bind " + host + ":" + requestedPort + ": " + e, e);
        }
        return this;
    }

    /**
     * Returns the bound port (useful after binding port 0).
     *
     * @return the bound port
     * @throws IllegalStateException if the server is not started
     */
    public synchronized int port() {
        checkState(endpoint != null, "not started");
        return port;
    }

    /** {@return the open connections} */
    public synchronized Collection<Connection> connections() {
        List<Connection> out = new ArrayList<>();
        if (endpoint != null) {
            for (TwistedBroker b : endpoint.brokers()) {
                out.add(b.connection());
            }
        }
        return out;
    }

    /** Stops accepting and closes every connection; pending calls fail. Idempotent. */
    @Override
    public synchronized void close() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** Configures a {@link TwistedPbServer}. Not thread-safe. */
    public static final class Builder extends TwistedBuilder<Builder> {
        private Root root;
        private Md5Portal portal;
        private String host;
        private int port = -1;

        private Builder() {
        }

        /**
         * Sets the root served to every connection (required, unless allowMd5Login).
         *
         * @param root the root object
         * @return this builder
         */
        public Builder root(Root root) {
            this.root = requireNonNull(root, "root");
            return this;
        }

        /**
         * Sets where to listen (required); port 0 picks a free port.
         *
         * @param host the address to bind, a host name or IP literal
         * @param port the port, 0..65535
         * @return this builder
         */
        public Builder bind(String host, int port) {
            this.host = requireNonNull(host, "host");
            checkArgument(port >= 0 && port < 65536, "port: %s (expected: 0..65535)", port);
            this.port = port;
            return this;
        }

        /**
         * Serves PB's MD5 cred login instead of a root, as a Twisted {@code Portal} does:
         * Python clients log in with {@code PBClientFactory.login(UsernamePassword(user,
         * password), mind)} and get the avatar {@code realm} makes. Only the MD5 of each
         * password is kept.
         *
         * <p><b>Weak:</b> unsalted MD5 challenge and response over plain TCP; whoever records
         * one login can test passwords offline. Offered only so that existing Twisted clients
         * can log in; never use it between jpb programs.
         *
         * @param passwords user name to password (the arrays are not kept)
         * @param realm     makes the avatar of each user who logged in
         * @return this builder
         */
        public Builder allowMd5Login(Map<String, char[]> passwords, TwistedRealm realm) {
            requireNonNull(passwords, "passwords");
            requireNonNull(realm, "realm");
            Map<String, byte[]> hashed = new HashMap<>();
            passwords.forEach((user, password) -> hashed.put(user, Md5Portal.hash(password)));
            portal = new Md5Portal(hashed, realm);
            settings.registerError(Md5Portal.UNAUTHORIZED, Md5Portal.UnauthorizedLogin.class);
            return this;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Returns the server, not yet listening.
         *
         * @return the server; {@link TwistedPbServer#start()} binds it
         * @throws IllegalStateException if {@code root} or {@code bind} is missing, or both
         *     {@code root} and {@code allowMd5Login} were given
         */
        public TwistedPbServer build() {
            checkState(root != null || portal != null,
                    "root: missing (call root(new MyRoot()) or allowMd5Login(...))");
            checkState(root == null || portal == null,
                    "root and allowMd5Login: choose one (the portal is the root)");
            checkState(host != null, "bind: missing (call bind(\"127.0.0.1\", 0))");
            return new TwistedPbServer(this);
        }
    }
}
