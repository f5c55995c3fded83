package dev.jpb.internal.twisted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaEncoder;
import dev.jpb.internal.twisted.banana.BananaLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker's bytes against a real session between a Twisted client and server (printed by
 * src/test/resources/python/session_capture.py and copied here).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TwistedBrokerTest {
    private static final String SERVER_DIALECTS = "028002827062" + "04826e6f6e65";
    private static final String CLIENT_CHOOSES_PB = "02827062";
    private static final String VERSION_6 = "0280138706" + "81";
    private static final String CALL_ADD_1_2 = "07801a870181048272" + "6f6f74038261646401"
            + "8103800b870181028101800587";
    private static final String ANSWER_1_3 = "03801b8701810381";

    /** A root with remote_add, as session_capture.py's. */
    public static final class Adder extends Root {
        public int remote_add(int a, int b) {
            return a + b;
        }
    }

    private static EmbeddedChannel channel(boolean isClient, Root root) {
        BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULTS);
        BananaEncoder encoder = new BananaEncoder(BananaLimits.DEFAULTS);
        TwistedBroker broker = new TwistedBroker(isClient, root,
                new CopyRegistry.Builder().build(), 1024, 256, decoder, encoder, Runnable::run);
        return new EmbeddedChannel(decoder, encoder, broker);
    }

    private static String written(EmbeddedChannel ch) {
        StringBuilder hex = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            hex.append(ByteBufUtil.hexDump(b));
            b.release();
        }
        return hex.toString();
    }

    private static void feed(EmbeddedChannel ch, String hex) {
        ch.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex)));
    }

    @Test
    void clientHandshakeAndCallAreTwistedsBytes() {
        EmbeddedChannel ch = channel(true, null);
        TwistedBroker broker = ch.pipeline().get(TwistedBroker.class);
        feed(ch, SERVER_DIALECTS);
        assertThat(written(ch)).isEqualTo(CLIENT_CHOOSES_PB + VERSION_6);
        assertThat(broker.ready()).isCompleted();
        RemoteReference root = broker.peerRoot();
        CompletableFuture<Integer> sum = root.callRemote("add", 1, 2);
        assertThat(written(ch)).isEqualTo(CALL_ADD_1_2);
        feed(ch, VERSION_6 + ANSWER_1_3);
        assertThat(sum).isCompletedWithValue(3);
        ch.finishAndReleaseAll();
    }

    @Test
    void serverHandshakeAndAnswerAreTwistedsBytes() {
        EmbeddedChannel ch = channel(false, new Adder());
        assertThat(written(ch)).isEqualTo(SERVER_DIALECTS);
        feed(ch, CLIENT_CHOOSES_PB + VERSION_6);
        assertThat(written(ch)).isEqualTo(VERSION_6);
        feed(ch, CALL_ADD_1_2);
        assertThat(written(ch)).isEqualTo(ANSWER_1_3);
        ch.finishAndReleaseAll();
    }

    @Test
    void pastMaxInFlightCallsTheSocketIsNotReadUntilHalfAreDone() {
        List<Runnable> queued = new ArrayList<>();
        BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULTS);
        BananaEncoder encoder = new BananaEncoder(BananaLimits.DEFAULTS);
        TwistedBroker broker = new TwistedBroker(false, new Adder(),
                new CopyRegistry.Builder().build(), 1024, 4, decoder, encoder, queued::add);
        EmbeddedChannel ch = new EmbeddedChannel(decoder, encoder, broker);
        written(ch);
        feed(ch, CLIENT_CHOOSES_PB + VERSION_6);
        written(ch);
        for (int i = 0; i < 3; i++) {
            feed(ch, CALL_ADD_1_2);
        }
        assertThat(ch.config().isAutoRead()).isTrue();
        feed(ch, CALL_ADD_1_2);
        assertThat(ch.config().isAutoRead()).isFalse();
        // The serial lane has one drain task queued; it runs all four calls.
        queued.forEach(Runnable::run);
        ch.runPendingTasks();
        assertThat(ch.config().isAutoRead()).isTrue();
        assertThat(written(ch)).isEqualTo(ANSWER_1_3.repeat(4));
        ch.finishAndReleaseAll();
    }

    @Test
    void aWrongVersionClosesTheConnection() {
        EmbeddedChannel ch = channel(false, new Adder());
        written(ch);
        feed(ch, CLIENT_CHOOSES_PB + "0280138705" + "81");
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownCommandsAreAnsweredDidNotUnderstand() {
        EmbeddedChannel ch = channel(false, new Adder());
        written(ch);
        feed(ch, CLIENT_CHOOSES_PB + VERSION_6);
        written(ch);
        feed(ch, "0280" + "1e87" + "0181"); // ["decache", 1]: Cacheable is not implemented
        assertThat(written(ch)).isEqualTo("0280" + "1082" + "6469644e6f74556e64657273746"
                + "16e64" + "0782" + "6465636163686" + "5");
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
