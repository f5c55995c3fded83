package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.Avatar;
import dev.jpb.Limits;
import dev.jpb.Root;
import dev.jpb.internal.login.FakeVerifiers;
import dev.jpb.internal.login.LoginService;
import dev.jpb.internal.login.ScramClientExchange;
import dev.jpb.internal.login.ScramKeys;
import dev.jpb.internal.wire.Frame;
import dev.jpb.internal.wire.FrameCodec;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.Hello;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The login frames against one end on an {@link io.netty.channel.embedded.EmbeddedChannel},
 * played by hand: a real SCRAM exchange, and what a hostile or confused peer gets for login
 * frames out of order, malformed or sent to an end that does not serve login.
 */
@Timeout(20)
class LoginFramesTest {
    private static final char[] PASSWORD = "pencil".toCharArray();
    private static final ScramKeys ALICE = ScramKeys.derive(PASSWORD, new byte[16], 4096);

    /** An avatar with one method. */
    public static final class User extends Avatar {
        /** Its name. */
        public String perspective_name() {
            return "alice";
        }
    }

    private static FramePeer loginEnd() {
        LoginService service = new LoginService(
                name -> name.equals("alice") ? Optional.of(ALICE) : Optional.empty(),
                FakeVerifiers.withRandomSecret(4096), (id, mind, c) -> new User(), null, 5);
        BrokerConfig plain = BrokerConfig.of(List.of(), Limits.defaults(), Runnable::run, null,
                false, Duration.ofSeconds(10));
        return new FramePeer(new BrokerConfig(plain.codec(), plain.limits(), plain.executor(),
                null, false, plain.handshakeTimeout(), service));
    }

    private static String headerString(FramePeer.Frame f) {
        // requestId (one byte here), then an hstring
        byte[] b = f.body();
        int length = (b[1] & 0xff) - 1;
        return new String(b, 2, length, StandardCharsets.UTF_8);
    }

    private static void sendLogin(FramePeer peer, long id, String mechanism, String first) {
        peer.send(out -> FrameCodec.write(out, new Frame.Login(id, mechanism, first)));
    }

    private static void sendProof(FramePeer peer, long id, String clientFinal) {
        peer.send(out -> {
            FrameCodec.write(out, new Frame.LoginProof(id, clientFinal));
            out.writeByte(0); // mind: null
        });
    }

    @Test
    void aLoginEndAnnouncesItAndRunsTheExchange() {
        FramePeer peer = loginEnd();
        peer.connect();
        assertThat(peer.endHello.features()).isEqualTo(Hello.FEATURES | Hello.FEATURE_LOGIN);
        assertThat(peer.endHello.minor()).isEqualTo(1);
        ScramClientExchange client = new ScramClientExchange("alice", PASSWORD, 100_000);

        sendLogin(peer, 1, "SCRAM-SHA-256", client.clientFirst());
        FramePeer.Frame challenge = peer.receiveOne();
        assertThat(challenge.kind()).isEqualTo(MessageKind.LOGIN_CHALLENGE);
        sendProof(peer, 2, client.clientFinal(headerString(challenge)));
        FramePeer.Frame ok = peer.receiveOne();
        assertThat(ok.kind()).isEqualTo(MessageKind.LOGIN_OK);
        client.verifyServerFinal(headerString(ok));
        assertThat(client.serverVerified()).isTrue();
        assertThat(peer.handshake.join().login.avatar()).isInstanceOf(User.class);
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aProofWithoutAChallengeClosesTheConnection() {
        FramePeer peer = loginEnd();
        peer.connect();
        sendProof(peer, 1, "c=biws,r=abc,p=" + "A".repeat(44));
        peer.runTasks();
        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void anUnknownMechanismClosesTheConnection() {
        FramePeer peer = loginEnd();
        peer.connect();
        sendLogin(peer, 1, "PLAIN", "alice\0alice\0pencil");
        peer.runTasks();
        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void aMalformedClientFirstClosesTheConnection() {
        FramePeer peer = loginEnd();
        peer.connect();
        sendLogin(peer, 1, "SCRAM-SHA-256", "hello there");
        peer.runTasks();
        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void anEndWithoutLoginAnswersAnErrorAndStaysOpen() {
        FramePeer peer = new FramePeer(new Root());
        peer.connect();
        assertThat(peer.endHello.features() & Hello.FEATURE_LOGIN).isZero();
        sendLogin(peer, 3, "SCRAM-SHA-256", "n,,n=alice,r=abc");
        FramePeer.Frame answer = peer.receiveOne();
        assertThat(answer.kind()).isEqualTo(MessageKind.ERROR);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .contains("does not offer login");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aCertificateLoginIsOneLoginFrameWithTheMechanismExternal() {
        // The bytes docs/protocol.md §13.3 shows: request 1, clientFirst null, mind null.
        Output out = new Output(64, -1);
        FrameCodec.write(out, new Frame.Login(1, LoginService.EXTERNAL, null));
        out.writeByte(0);
        assertThat(HexFormat.ofDelimiter(" ").formatHex(out.toBytes()))
                .isEqualTo("07 01 09 45 58 54 45 52 4e 41 4c 00 00");
    }

    @Test
    void aCertificateLoginWithoutAClientCertificateFailsAndTheConnectionStays() {
        LoginService service = new LoginService(null, null, (id, mind, c) -> new User(), null,
                5, leaf -> "never asked");
        BrokerConfig plain = BrokerConfig.of(List.of(), Limits.defaults(), Runnable::run, null,
                false, Duration.ofSeconds(10));
        FramePeer peer = new FramePeer(new BrokerConfig(plain.codec(), plain.limits(),
                plain.executor(), null, false, plain.handshakeTimeout(), service));
        peer.connect();
        peer.send(out -> {
            FrameCodec.write(out, new Frame.Login(1, LoginService.EXTERNAL, null));
            out.writeByte(0); // mind: null
        });
        FramePeer.Frame answer = peer.receiveOne();
        assertThat(answer.kind()).isEqualTo(MessageKind.ERROR);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .contains("LoginFailedException")
                .contains("presented no client certificate");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aCertificateLoginWhereNoneIsOfferedFailsAndTheConnectionStays() {
        FramePeer peer = loginEnd();
        peer.connect();
        peer.send(out -> {
            FrameCodec.write(out, new Frame.Login(1, LoginService.EXTERNAL, null));
            out.writeByte(0);
        });
        FramePeer.Frame answer = peer.receiveOne();
        assertThat(answer.kind()).isEqualTo(MessageKind.ERROR);
        assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                .contains("does not take certificate logins");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void unsolicitedLoginAnswersAreViolationsNotAnswers() {
        FramePeer peer = new FramePeer(new Root(), Limits.builder().maxViolations(2).build());
        peer.connect();
        peer.send(out -> FrameCodec.write(out, new Frame.LoginChallenge(1, "r=x,s=eA==,i=4096")));
        assertThat(peer.channel.isOpen()).isTrue();
        peer.send(out -> {
            FrameCodec.write(out, new Frame.LoginOk(2, "v=x"));
            out.writeByte(0);
        });
        peer.runTasks();
        assertThat(peer.channel.isOpen()).isFalse();
    }
}
