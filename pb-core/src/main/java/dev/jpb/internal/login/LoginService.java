package dev.jpb.internal.login;

import static com.google.common.base.Preconditions.checkArgument;
import static java.util.Objects.requireNonNull;

import dev.jpb.Avatar;
import dev.jpb.Connection;
import dev.jpb.RemoteReference;

/**
 * What a server that offers login shares between its connections: where verifiers come from,
 * the fakes for unknown users, who makes avatars, whether (and as whom) anonymous logins are
 * let in, and how many failed logins in a row close a connection. Immutable and thread-safe.
 *
 * @param verifiers real users' verifiers, or null if only anonymous logins are served
 * @param fakes the verifiers shown for unknown users (required with {@code verifiers})
 * @param avatars the application's realm
 * @param anonymousAvatarId the avatar id anonymous logins get, or null to refuse them
 * @param maxFailedLogins failed logins in a row that close the connection, at least 1
 */
public record LoginService(VerifierSource verifiers, FakeVerifiers fakes, AvatarSource avatars,
        String anonymousAvatarId, int maxFailedLogins) {
    /** The mechanism name of a SCRAM login. */
    public static final String SCRAM = "SCRAM-SHA-256";
    /** The mechanism name of an anonymous login. */
    public static final String ANONYMOUS = "ANONYMOUS";

    /** Checks the components. */
    public LoginService {
        requireNonNull(avatars, "avatars");
        checkArgument(verifiers == null || fakes != null, "fakes: null (expected with verifiers)");
        checkArgument(verifiers != null || anonymousAvatarId != null,
                "login needs a credential store or anonymous logins");
        checkArgument(maxFailedLogins >= 1,
                "maxFailedLogins: " + maxFailedLogins + " (expected: >= 1)");
    }

    /** The application's realm, as pb-core sees it. */
    @FunctionalInterface
    public interface AvatarSource {
        /** Returns the avatar of {@code avatarId}; see {@code dev.jpb.server.Realm}. */
        Avatar requestAvatar(String avatarId, RemoteReference mind, Connection connection);
    }
}
