package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;
import java.security.cert.X509Certificate;

/**
 * What a server that offers login shares between its connections: where verifiers come from,
 * the fakes for unknown users, who makes avatars, whether (and as whom) anonymous logins are
 * let in, whether a verified client certificate logs in (and as whom), and how many failed
 * logins in a row close a connection. Immutable and thread-safe.
 *
 * @param verifiers real users' verifiers, or null if no password logins are served
 * @param fakes the verifiers shown for unknown users (required with {@code verifiers})
 * @param avatars the application's realm
 * @param anonymousAvatarId the avatar id anonymous logins get, or null to refuse them
 * @param maxFailedLogins failed logins in a row that close the connection, at least 1
 * @param certificateAvatarIds the avatar id of a client certificate, or null to refuse
 *     certificate logins (mechanism {@value #EXTERNAL})
 */
public record LoginService(VerifierSource verifiers, FakeVerifiers fakes, AvatarSource avatars,
        String anonymousAvatarId, int maxFailedLogins, CertificateAvatarIds certificateAvatarIds) {
    /** The mechanism name of a SCRAM login. */
    public static final String SCRAM = "SCRAM-SHA-256";
    /** The mechanism name of an anonymous login. */
    public static final String ANONYMOUS = "ANONYMOUS";
    /**
     * The mechanism name of a login by the client certificate of the TLS handshake (as SASL's
     * EXTERNAL, RFC 4422 appendix A: the identity was established outside the exchange).
     */
    public static final String EXTERNAL = "EXTERNAL";

    /** Checks the components. */
    public LoginService {
        requireNonNull(avatars, "avatars");
        checkArgument(verifiers == null || fakes != null, "fakes: null (expected with verifiers)");
        checkArgument(verifiers != null || anonymousAvatarId != null
                        || certificateAvatarIds != null,
                "login needs a credential store, anonymous logins or certificate logins");
        checkArgument(maxFailedLogins >= 1,
                "maxFailedLogins: " + maxFailedLogins + " (expected: >= 1)");
    }

    /** A service without certificate logins. */
    public LoginService(VerifierSource verifiers, FakeVerifiers fakes, AvatarSource avatars,
            String anonymousAvatarId, int maxFailedLogins) {
        this(verifiers, fakes, avatars, anonymousAvatarId, maxFailedLogins, null);
    }

    /** The application's realm, as pb-core sees it. */
    @FunctionalInterface
    public interface AvatarSource {
        /** Returns the avatar of {@code avatarId}; see {@code dev.jpb.server.Realm}. */
        Avatar requestAvatar(String avatarId, RemoteReference mind, Connection connection);
    }

    /** Names the avatar of a verified client certificate. */
    @FunctionalInterface
    public interface CertificateAvatarIds {
        /** Returns the avatar id for the client's leaf certificate; never null or empty. */
        String avatarIdOf(X509Certificate leaf);
    }
}
