package dev.jpb.twisted;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static java.util.Objects.requireNonNull;

import dev.jpb.Connection;
import dev.jpb.ConnectionLostException;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.twisted.Endpoint;
import dev.jpb.internal.twisted.Md5Login;
import dev.jpb.internal.twisted.TwistedBroker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A connection to a Twisted PB server (a Python {@code PBServerFactory}), speaking Banana and
 * Jelly. Its root and every reference it hands out are ordinary {@link RemoteReference}s.
 *
 * <pre>{@code
 * try (TwistedPbClient client = TwistedPbClient.builder()
 *         .registerCopy("shared.Point", Point.class)
 *         .connect("127.0.0.1", 8787)) {
 *     RemoteReference root = client.getRootObject().join();
 *     int sum = root.<Integer>callRemote("add", 1, 2).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} closes the connection and the threads it owns.
 */
public final class TwistedPbClient implements AutoCloseable {
    private final Endpoint endpoint;
    private final TwistedBroker broker;
    private final boolean md5LoginAllowed;

    private TwistedPbClient(Endpoint endpoint, TwistedBroker broker, boolean md5LoginAllowed) {
        this.endpoint = endpoint;
        this.broker = broker;
        this.md5LoginAllowed = md5LoginAllowed;
    }

    /**
     * Connects with the defaults; see {@link Builder#connect}.
     *
     * @param host the server's host name or address
     * @param port the server's port, 1..65535
     * @return the connected client; close it when done
     * @throws ConnectionLostException if the server cannot be reached
     * @throws ProtocolException       if it is not a Twisted PB server
     */
    public static TwistedPbClient connect(String host, int port) {
        return builder().connect(host, port);
    }

    /** {@return a builder with the defaults (Twisted 22.4's limits, no copy types)} */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the server's root object (PB's {@code getRootObject}); completed at once, the
     * connection is already up. The root is not reference-counted, as in Twisted.
     *
     * @return a completed future with a reference to the server's root object
     */
    public CompletableFuture<RemoteReference> getRootObject() {
        return CompletableFuture.completedFuture(broker.peerRoot());
    }

    /**
     * Logs in to a server whose root is a Twisted {@code Portal} (PB's cred login:
     * {@code login}, an MD5 challenge, {@code respond} with a mind) and returns the avatar's
     * perspective.
     *
     * <p><b>Weak:</b> the server learns nothing it could not replay within a session, but the
     * exchange is unsalted MD5 over plain TCP: an eavesdropper can brute-force the password
     * offline. Use only to talk to existing Twisted servers, enabled with
     * {@link Builder#allowMd5Login()}; jpb's own login (SCRAM) is the one for jpb servers.
     *
     * @param username the user name (sent as UTF-8 bytes, as Twisted's {@code UsernamePassword})
     * @param password the password (UTF-8); hashed here, never sent
     * @param mind     an object the server may call back, or {@code null}
     * @return the perspective; fails with a {@link dev.jpb.RemoteCallException} of type
     *         {@code twisted.cred.error.UnauthorizedLogin} on a wrong password
     * @throws IllegalStateException if the builder did not {@code allowMd5Login()}
     */
    public CompletableFuture<RemoteReference> login(String username, char[] password,
            Referenceable mind) {
        requireNonNull(username, "username");
        requireNonNull(password, "password");
        checkState(md5LoginAllowed, "Twisted PB's MD5 login is weak; enable it explicitly with "
                + "TwistedPbClient.builder().allowMd5Login()");
        return Md5Login.login(broker.peerRoot(), username, password, mind);
    }

    /** {@return the connection} */
    public Connection connection() {
        return broker.connection();
    }

    /** Closes the connection (pending calls fail with ConnectionLostException). Idempotent. */
    @Override
    public void close() {
        endpoint.close();
    }

    /** Configures a {@link TwistedPbClient}. Not thread-safe. */
    public static final class Builder extends TwistedBuilder<Builder> {
        private boolean md5Login;
        private long connectTimeoutMillis = 10_000;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * Enables {@link TwistedPbClient#login}, Twisted's weak MD5 challenge login. Default
         * off.
         *
         * @return this builder
         */
        public Builder allowMd5Login() {
            md5Login = true;
            return this;
        }

        /**
         * Sets how long {@link #connect} waits for the dialect handshake (default 10 s).
         *
         * @param amount the timeout, &gt; 0
         * @param unit the unit of {@code amount}
         * @return this builder
         */
        public Builder connectTimeout(long amount, TimeUnit unit) {
            checkArgument(amount > 0, "connectTimeout: %s (expected: > 0)", amount);
            connectTimeoutMillis = unit.toMillis(amount);
            return this;
        }

        /**
         * Connects and returns once the Banana dialect is chosen.
         *
         * @param host the server's host name or address
         * @param port the server's port, 1..65535
         * @return the connected client; close it when done
         * @throws ConnectionLostException if the server cannot be reached
         * @throws ProtocolException       if it is not a Twisted PB server
         */
        public TwistedPbClient connect(String host, int port) {
            requireNonNull(host, "host");
            checkArgument(port > 0 && port < 65536, "port: %s (expected: 1..65535)", port);
            Endpoint endpoint = new Endpoint(settings.build(), "jpb-twisted-client");
            try {
                TwistedBroker broker = endpoint.connect(host, port)
                        .get(connectTimeoutMillis, TimeUnit.MILLISECONDS);
                return new TwistedPbClient(endpoint, broker, md5Login);
            } catch (ExecutionException e) {
                endpoint.close();
                if (e.getCause() instanceof PbException pb) {
                    throw pb;
                }
                throw new ConnectionLostException("cannot connect to " + host + ":" + port
                        + ": " + e.getCause(), e.getCause());
            } catch (TimeoutException e) {
                endpoint.close();
                throw new ProtocolException("no Twisted PB handshake from " + host + ":" + port
                        + " within " + connectTimeoutMillis + " ms: is it a PBServerFactory?");
            } catch (InterruptedException e) {
                endpoint.close();
                Thread.currentThread().interrupt();
                throw new ConnectionLostException("interrupted while connecting", e);
            }
        }
    }
}
