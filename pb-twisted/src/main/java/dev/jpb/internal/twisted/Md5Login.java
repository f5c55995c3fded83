package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Twisted PB's cred login, client side ({@code PBClientFactory.login}): {@code login(username)}
 * on the root answers {@code (challenge, challenger)}; {@code challenger.respond(
 * md5(md5(password) + challenge), mind)} answers the perspective. Weak by design (unsalted
 * MD5); only used when the application opts in.
 */
public final class Md5Login {
    private Md5Login() {
    }

    /** Runs the exchange; see {@code TwistedPbClient.login}. */
    public static CompletableFuture<RemoteReference> login(RemoteReference root, String username,
            char[] password, Referenceable mind) {
        byte[] secret = utf8(password);
        byte[] hashed = md5(secret);
        Arrays.fill(secret, (byte) 0);
        return root.<List<?>>callRemote("login", username.getBytes(UTF_8))
                .thenCompose(answer -> {
                    if (answer.size() != 2 || !(answer.get(0) instanceof byte[] challenge)
                            || !(answer.get(1) instanceof RemoteReference challenger)) {
                        throw new ProtocolException("login answered " + answer
                                + ", not (challenge, challenger): is the root a Portal?");
                    }
                    MessageDigest md = digest();
                    md.update(hashed);
                    md.update(challenge);
                    return challenger.<RemoteReference>callRemote("respond", md.digest(), mind);
                });
    }

    private static byte[] utf8(char[] password) {
        ByteBuffer b = UTF_8.encode(CharBuffer.wrap(password));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static byte[] md5(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }
}
