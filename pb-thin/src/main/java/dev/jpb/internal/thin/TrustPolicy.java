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

    /**
     * Creates the policy.
     *
     * @param allowCodeFromLocalhost whether code from a server on a loopback address runs
     *     ({@code --allow-code-from-localhost})
     */
    public TrustPolicy(boolean allowCodeFromLocalhost) {
        this.allowCodeFromLocalhost = allowCodeFromLocalhost;
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
                + " only from a server it authenticated over TLS (--pin sha256:..., not"
                + " supported yet) or, when started with --allow-code-from-localhost, from a"
                + " server on a loopback address" + (allowCodeFromLocalhost
                ? " (this server is not on one)" : "")
                + "; push a bundle without classes (a server-side controller) instead";
    }

    /**
     * TRUST SEAM (login/TLS issue): returns whether the connection is TLS and the server's
     * certificate is pinned ({@code --pin sha256:...}) or trusted by a CA. jpb has no TLS yet,
     * so no connection qualifies; when it does, check the peer certificate here.
     */
    static boolean authenticatedServer(Connection connection) {
        return false;
    }

    static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                && a.getAddress().isLoopbackAddress();
    }
}
