package dev.jpb.internal.broker;

import dev.jpb.LoginFailedException;
import dev.jpb.PbError;
import dev.jpb.PbException;
import dev.jpb.RemoteReference;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.metrics.LoginKinds;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The serving side of a certificate login (mechanism {@value LoginService#EXTERNAL},
 * docs/protocol.md §13.3): the client certificate that the TLS handshake verified names the
 * avatar, so the LOGIN frame carries only the mind and is answered by LOGIN_OK or ERROR, as an
 * anonymous login is. A step of {@link ServerLogin}, run in its serial order. Stateless.
 */
final class ServerCertificateLogin {
    private static final String WHO = "(certificate login)";

    private ServerCertificateLogin() {
    }

    /** Serves one certificate LOGIN whose frame body (the mind) is {@code body}. */
    static void serve(ServerLogin login, long requestId, ByteBuf body) {
        Broker broker = login.broker;
        broker.metrics.loginStarted(LoginKinds.CERTIFICATE);
        RemoteReference mind;
        try {
            mind = login.decodeMind(body);
        } catch (PbException e) {
            broker.metrics.loginFailed(LoginKinds.CERTIFICATE, LoginKinds.PROTOCOL);
            broker.violation("LOGIN (certificate): " + e.getMessage());
            login.answerFailure(requestId, new PbError(e.getMessage()));
            return;
        }
        LoginService.CertificateAvatarIds ids = login.service.certificateAvatarIds();
        if (ids == null) {
            ServerLogin.release(mind);
            login.failed(requestId, LoginKinds.CERTIFICATE, LoginKinds.NOT_ALLOWED, WHO,
                    "certificate logins are not enabled",
                    new LoginFailedException("this server does not take certificate logins"
                            + " (PbServer.builder().certificateLogin(..)); log in with a user"
                            + " name and password"));
            return;
        }
        X509Certificate leaf = peerCertificate(broker);
        if (leaf == null) {
            ServerLogin.release(mind);
            login.failed(requestId, LoginKinds.CERTIFICATE, LoginKinds.NOT_ALLOWED, WHO,
                    "the connection has no verified client certificate",
                    new LoginFailedException("this connection presented no client"
                            + " certificate; connect with PbClient.builder()"
                            + ".clientIdentity(identity) to log in with it"));
            return;
        }
        String avatarId;
        try {
            avatarId = ids.avatarIdOf(leaf);
        } catch (RuntimeException e) {
            Broker.log.error("{}: cannot name the avatar of client certificate {}", broker,
                    leaf.getSubjectX500Principal(), e);
            ServerLogin.release(mind);
            broker.metrics.loginFailed(LoginKinds.CERTIFICATE, LoginKinds.SERVER_ERROR);
            login.answerFailure(requestId, new LoginFailedException());
            return;
        }
        login.succeed(requestId, avatarId, mind, null, LoginKinds.CERTIFICATE);
    }

    /** The leaf certificate the client presented in the TLS handshake, or null. */
    private static X509Certificate peerCertificate(Broker broker) {
        SslHandler ssl = broker.channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? leaf : null;
        } catch (SSLPeerUnverifiedException e) {
            return null;
        }
    }
}
