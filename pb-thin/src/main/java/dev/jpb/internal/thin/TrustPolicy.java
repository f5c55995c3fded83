package dev.jpb.internal.thin;

import dev.jpb.Connection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Decides whether this client runs code a server pushes. Pushed code runs with the client's
 * full rights (Java has no sandbox since the Security Manager's removal), so it is accepted
 * only from a server the user vouched for.
 */
public final class TrustPolicy {
    private final boolean allowCodeFromLocalhost;
    // the current connection if made over verified TLS, or null; replaced on each reconnection
    private volatile Connection authenticated;

    /**
     * Creates a policy for a client whose server was not authenticated.
     *
     * @param allowCodeFromLocalhost whether code from a server on a loopback address runs
     *     ({@code --allow-code-from-localhost})
     */
    public TrustPolicy(boolean allowCodeFromLocalhost) {
        this(allowCodeFromLocalhost, null);
    }

    /**
     * Creates the policy.
     *
     * @param allowCodeFromLocalhost whether code from a server on a loopback address runs
     *     ({@code --allow-code-from-localhost})
     * @param authenticated the client's connection if it was made over TLS with a pinned or
     *     CA-trusted server certificate ({@link dev.jpb.client.PbClient#isServerAuthenticated}),
     *     else null
     */
    public TrustPolicy(boolean allowCodeFromLocalhost, Connection authenticated) {
        this.allowCodeFromLocalhost = allowCodeFromLocalhost;
        this.authenticated = authenticated;
    }

    /**
     * Replaces the authenticated connection after a reconnection: the new connection if it was
     * made over TLS with a pinned or CA-trusted server certificate, else null. Any thread.
     */
    public void authenticated(Connection connection) {
        this.authenticated = connection;
    }

    /** Returns whether code pushed over this connection may run. */
    public boolean allowsCode(Connection connection) {
        return authenticatedServer(connection)
                || allowCodeFromLocalhost && isLoopback(connection.remoteAddress());
    }

    /** Returns the message a refused server gets. */
    public String refusal(Connection connection) {
        return "this thin client does not run code pushed by " + connection.remoteAddress()
                + ": pushed code runs with the client's full rights, so the client accepts it"
                + " only from a server it authenticated over TLS (--pin sha256:... or"
                + " --trust certificates.pem) or, when started with"
                + " --allow-code-from-localhost, from a server on a loopback address"
                + (allowCodeFromLocalhost ? " (this server is not on one)" : "")
                + "; push a bundle without classes (a server-side controller) instead";
    }

    /**
     * Returns whether {@code connection} is the one this client made over TLS with the
     * server's certificate pinned ({@code --pin sha256:...}) or trusted by a CA
     * ({@code --trust}): the TLS handshake already refused any other certificate.
     */
    boolean authenticatedServer(Connection connection) {
        return authenticated != null && authenticated.equals(connection);
    }

    static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}
