package dev.jpb.router;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.internal.router.FaceSettings;
import dev.jpb.internal.router.WampServerFace;
import dev.jpb.server.PbServer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Serves a {@link Router}: WAMP v2 over WebSocket at {@code /ws} (subprotocols
 * {@code wamp.2.json} and {@code wamp.2.msgpack}), the HTTP bridge ({@code POST /publish},
 * {@code POST /call}) and static files on {@link #port()}, and the jpb face on
 * {@link #pbPort()}.
 *
 * <p>The jpb face has its own port for now: {@code PbServer}'s public API cannot yet share a
 * socket with other protocols. Closing the endpoint does not close the router.
 *
 * <pre>{@code
 * Router router = Router.builder().build();
 * RouterEndpoint ep = RouterEndpoint.builder(router).bind("127.0.0.1", 8080).build().start();
 * }</pre>
 */
public final class RouterEndpoint implements AutoCloseable {
    private final Builder config;
    private WampServerFace face; // guarded by this
    private PbServer pbServer; // guarded by this

    private RouterEndpoint(Builder b) {
        this.config = b;
    }

    /**
     * Returns a builder serving this router.
     *
     * @param router the router; not owned
     * @return a new builder with the defaults
     */
    public static Builder builder(Router router) {
        return new Builder(requireNonNull(router, "router"));
    }

    /**
     * Binds both ports.
     *
     * @return this endpoint
     * @throws IllegalStateException if already started or a port cannot be bound
     */
    public synchronized RouterEndpoint start() {
        if (face != null) {
            throw new IllegalStateException("already started");
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(config.host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve " + config.host, e);
        }
        FaceSettings settings = new FaceSettings(config.maxMessageBytes,
                config.maxMessagesPerSecond, config.maxQueuedBytes, config.maxHttpBytes,
                config.bearerToken, loopback, config.bridgeCallTimeout, config.staticRoot);
        face = new WampServerFace(config.router.core(), settings, config.host, config.port,
                config.ioThreads);
        try {
            PbServer.Builder b = PbServer.builder().root(config.router.pbRoot())
                    .bind(config.host, config.pbPort).register(Router.wireTypes())
                    .register(config.extraTypes);
            config.router.applyMeterRegistry(b);
            pbServer = b.build().start();
        } catch (RuntimeException e) {
            face.close();
            face = null;
            throw e;
        }
        return this;
    }

    /**
     * Returns the WAMP/HTTP port, the one bound when the builder's port was 0.
     *
     * @return the WAMP/HTTP port
     * @throws IllegalStateException if the endpoint is not started
     */
    public synchronized int port() {
        checkStarted();
        return face.localAddress().getPort();
    }

    /**
     * Returns the jpb port, the one bound when the builder's port was 0.
     *
     * @return the jpb port
     * @throws IllegalStateException if the endpoint is not started
     */
    public synchronized int pbPort() {
        checkStarted();
        return pbServer.port();
    }

    private void checkStarted() {
        if (face == null) {
            throw new IllegalStateException("not started; call start() first");
        }
    }

    /** Closes both faces (WAMP sessions and jpb connections end); the router stays. */
    @Override
    public synchronized void close() {
        if (pbServer != null) {
            pbServer.close();
            pbServer = null;
        }
        if (face != null) {
            face.close();
            face = null;
        }
    }

    /** Configures a {@link RouterEndpoint}; not thread-safe. */
    public static final class Builder {
        private final Router router;
        private String host = "127.0.0.1";
        private int port = 8080;
        private int pbPort = 0;
        private int maxMessageBytes = 1 << 20;
        private int maxMessagesPerSecond = 10_000;
        private int maxQueuedBytes = 1 << 20;
        private int maxHttpBytes = 1 << 20;
        private String bearerToken;
        private Duration bridgeCallTimeout = Duration.ofSeconds(30);
        private String staticRoot;
        private int ioThreads = 2;
        private Class<?>[] extraTypes = new Class<?>[0];

        private Builder(Router router) {
            this.router = router;
        }

        /**
         * Sets the address and the WAMP/HTTP port. Default {@code 127.0.0.1:8080}; port 0 picks
         * a free one. Beyond loopback the HTTP bridge answers only with a
         * {@link #bearerToken}.
         *
         * @param host the address to bind, a host name or IP literal
         * @param port the WAMP/HTTP port, 0..65535
         * @return this builder
         */
        public Builder bind(String host, int port) {
            this.host = requireNonNull(host, "host");
            checkArgument(port >= 0 && port <= 65535, "port: %s (expected: 0..65535)", port);
            this.port = port;
            return this;
        }

        /**
         * Sets the jpb port on the same address. Default 0 (any free port).
         *
         * @param port the jpb port, 0..65535
         * @return this builder
         */
        public Builder pbPort(int port) {
            checkArgument(port >= 0 && port <= 65535, "pbPort: %s (expected: 0..65535)", port);
            this.pbPort = port;
            return this;
        }

        /**
         * Sets the largest WAMP message accepted; past it the WebSocket closes with 1009.
         * Default 1 MiB.
         *
         * @param n the bound in bytes, &gt; 0
         * @return this builder
         */
        public Builder maxMessageBytes(int n) {
            checkArgument(n > 0, "maxMessageBytes: %s (expected: > 0)", n);
            this.maxMessageBytes = n;
            return this;
        }

        /**
         * Sets how many WAMP messages one WebSocket may send per second; past it the router
         * stops reading that socket until the second is over (back-pressure). Default 10000.
         *
         * @param n the bound, &gt; 0
         * @return this builder
         */
        public Builder maxMessagesPerSecond(int n) {
            checkArgument(n > 0, "maxMessagesPerSecond: %s (expected: > 0)", n);
            this.maxMessagesPerSecond = n;
            return this;
        }

        /**
         * Sets the bytes that may wait to be written to one WebSocket; past it that
         * subscriber's events meet the {@link SlowSubscriberPolicy}. Default 1 MiB.
         *
         * @param n the bound in bytes, &gt; 1
         * @return this builder
         */
        public Builder maxQueuedBytes(int n) {
            checkArgument(n > 1, "maxQueuedBytes: %s (expected: > 1)", n);
            this.maxQueuedBytes = n;
            return this;
        }

        /**
         * Sets the largest HTTP request (the bridge's bodies); past it 413. Default 1 MiB.
         *
         * @param n the bound in bytes, &gt; 0
         * @return this builder
         */
        public Builder maxHttpBytes(int n) {
            checkArgument(n > 0, "maxHttpBytes: %s (expected: > 0)", n);
            this.maxHttpBytes = n;
            return this;
        }

        /**
         * Requires {@code Authorization: Bearer <token>} on bridge requests. Default none.
         *
         * @param token the token, not blank
         * @return this builder
         */
        public Builder bearerToken(String token) {
            requireNonNull(token, "token");
            checkArgument(!token.isBlank(), "bearerToken: blank");
            this.bearerToken = token;
            return this;
        }

        /**
         * Sets the timeout of a bridge call whose options name none. Default 30 s.
         *
         * @param timeout the timeout, &gt; 0
         * @return this builder
         */
        public Builder bridgeCallTimeout(Duration timeout) {
            requireNonNull(timeout, "timeout");
            checkArgument(!timeout.isNegative() && !timeout.isZero(),
                    "bridgeCallTimeout: %s (expected: > 0)", timeout);
            this.bridgeCallTimeout = timeout;
            return this;
        }

        /**
         * Serves the files of a classpath folder at {@code /} ({@code /} itself is
         * {@code index.html}). The router's own WAMP client for browsers is always at
         * {@code /jpb/wamp.js}.
         *
         * @param classpathFolder e.g. {@code com/example/web}
         * @return this builder
         */
        public Builder staticResources(String classpathFolder) {
            requireNonNull(classpathFolder, "classpathFolder");
            this.staticRoot = classpathFolder.replaceAll("^/+|/+$", "");
            return this;
        }

        /**
         * Sets the WAMP face's event-loop threads. Default 2.
         *
         * @param n the number of threads, &gt; 0
         * @return this builder
         */
        public Builder ioThreads(int n) {
            checkArgument(n > 0, "ioThreads: %s (expected: > 0)", n);
            this.ioThreads = n;
            return this;
        }

        /**
         * Registers more types on the jpb face, for copies your clients publish or pass; a
         * second call replaces the types of the first. Default none.
         *
         * @param types the types, registered beside {@link Router#wireTypes()}
         * @return this builder
         */
        public Builder register(Class<?>... types) {
            this.extraTypes = requireNonNull(types, "types").clone();
            return this;
        }

        /**
         * Builds the endpoint; {@link RouterEndpoint#start()} binds it.
         *
         * @return the endpoint, not yet started
         */
        public RouterEndpoint build() {
            return new RouterEndpoint(this);
        }
    }
}
