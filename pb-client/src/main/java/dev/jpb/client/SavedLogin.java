package dev.jpb.client;

import static java.util.Objects.requireNonNull;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.broker.Broker;
import dev.jpb.internal.login.ClientKeys;
import dev.jpb.internal.login.ScramClientExchange;
import java.util.concurrent.CompletableFuture;

/**
 * What a {@link PbClient} keeps of its last successful login so it can log in again on a new
 * connection (after a reconnect) without asking for the password: the user name, the mind and
 * SCRAM's ClientKey/ServerKey for the salt the server showed ({@link ClientKeys}), never the
 * password. An anonymous or certificate login keeps only the mind (and which it was).
 * Immutable until {@link #forget()}.
 */
final class SavedLogin {
    private final String username; // null: anonymous or by certificate
    private final ClientKeys keys; // null: anonymous or by certificate
    private final Referenceable mind; // may be null
    private final boolean certificate; // logged in by the TLS client certificate

    private SavedLogin(String username, ClientKeys keys, Referenceable mind,
            boolean certificate) {
        this.username = username;
        this.keys = keys;
        this.mind = mind;
        this.certificate = certificate;
    }

    static SavedLogin scram(String username, ClientKeys keys, Referenceable mind) {
        return new SavedLogin(requireNonNull(username, "username"), requireNonNull(keys, "keys"),
                mind, false);
    }

    static SavedLogin anonymous(Referenceable mind) {
        return new SavedLogin(null, null, mind, false);
    }

    /** A login by the client certificate: a new connection presents the same one. */
    static SavedLogin certificate(Referenceable mind) {
        return new SavedLogin(null, null, mind, true);
    }

    /**
     * Logs in again on {@code broker} (a new connection to the same server) as the same user
     * with the same mind. Fails with {@link dev.jpb.LoginFailedException} if the server's salt
     * for the user changed (the password was reset) or the user is gone.
     */
    CompletableFuture<RemoteReference> loginAgain(Broker broker) {
        if (certificate) {
            return broker.loginWithCertificate(mind);
        }
        if (username == null) {
            return broker.loginAnonymously(mind);
        }
        return broker.login(new ScramClientExchange(username, keys,
                ScramClientExchange.DEFAULT_MAX_ITERATIONS), mind);
    }

    /** Zeroes the keys (after a logout, or when a new login replaces this one). */
    void forget() {
        if (keys != null) {
            keys.destroy();
        }
    }

    @Override
    public String toString() {
        return "SavedLogin[" + (certificate ? "certificate"
                : username == null ? "anonymous" : "user '" + username + "'") + "]";
    }
}
