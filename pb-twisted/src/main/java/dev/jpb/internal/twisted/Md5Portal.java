package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpb.Connection;
import dev.jpb.PbError;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.twisted.TwistedRealm;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * The server side of PB's MD5 cred login, as Twisted's {@code _PortalRoot}: each connection's
 * root answers {@code login(username)} with {@code (challenge, challenger)}, and the
 * challenger's {@code respond(md5(md5(password) + challenge), mind)} with the avatar. Only the
 * MD5 of each password is kept. Weak by design; only used when the application opts in.
 */
public final class Md5Portal extends Root {
    /** The Python type a failed login reaches the client as. */
    public static final String UNAUTHORIZED = "twisted.cred.error.UnauthorizedLogin";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A wrong user name or password: one message for both. */
    public static final class UnauthorizedLogin extends PbError {
        private static final long serialVersionUID = 1L;

        /** Creates the error. */
        public UnauthorizedLogin(String message) {
            super(message);
        }
    }

    private final Map<String, byte[]> hashedPasswords;
    private final TwistedRealm realm;

    /**
     * Creates the portal.
     *
     * @param hashedPasswords user name to {@code md5(password)}
     * @param realm           makes avatars
     */
    public Md5Portal(Map<String, byte[]> hashedPasswords, TwistedRealm realm) {
        this.hashedPasswords = Map.copyOf(hashedPasswords);
        this.realm = realm;
    }

    /** Returns {@code md5(password)} of a password's UTF-8 bytes. */
    public static byte[] hash(char[] password) {
        return md5().digest(new String(password).getBytes(UTF_8));
    }

    @Override
    public Referenceable rootObject(Connection connection) {
        return new PortalWrapper(connection);
    }

    /** One connection's root: {@code remote_login}. */
    public final class PortalWrapper extends Referenceable {
        private final Connection connection;

        PortalWrapper(Connection connection) {
            this.connection = connection;
        }

        /** Step 1: answers a fresh challenge and the object to respond to. */
        public List<Object> remote_login(byte[] username) {
            byte[] challenge = new byte[16];
            RANDOM.nextBytes(challenge);
            challenge = md5().digest(challenge);
            return List.of(challenge, new Challenger(connection,
                    new String(username, UTF_8), challenge));
        }
    }

    /** Step 2: checks the response and answers the avatar. */
    public final class Challenger extends Referenceable {
        private final Connection connection;
        private final String username;
        private final byte[] challenge;

        Challenger(Connection connection, String username, byte[] challenge) {
            this.connection = connection;
            this.username = username;
            this.challenge = challenge;
        }

        /** Verifies {@code md5(md5(password) + challenge)}; answers the avatar. */
        public Referenceable remote_respond(byte[] response, RemoteReference mind) {
            byte[] hashed = hashedPasswords.get(username);
            boolean ok = false;
            if (hashed != null) {
                MessageDigest md = md5();
                md.update(hashed);
                md.update(challenge);
                ok = MessageDigest.isEqual(md.digest(), response);
            }
            if (!ok) {
                throw new UnauthorizedLogin("unknown user or wrong password");
            }
            return realm.requestAvatar(username, mind, connection);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
