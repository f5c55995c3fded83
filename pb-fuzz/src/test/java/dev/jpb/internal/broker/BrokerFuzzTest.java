package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.internal.wire.Hello;
import dev.jpb.internal.wire.MessageKind;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz targets (a) and (c): arbitrary bytes fed to a jpb end's real pipeline on an
 * {@link io.netty.channel.embedded.EmbeddedChannel} (handshake, framing, {@link Broker}
 * serving a {@link WireFuzzing.FuzzRoot} on a direct executor, so calls run inline).
 *
 * <p>Invariants, per input: only {@link dev.jpb.PbException}s and the frame decoder's
 * {@code TooLongFrameException}/{@code CorruptedFrameException} reach the broker's handler;
 * a handshake that fails fails with a {@link dev.jpb.ProtocolException} and closes the
 * channel, and one still pending has seen fewer bytes than a hello; every frame the end sends
 * back is well formed and an ANSWER, ERROR, DECREF or PONG; after the input, a connection still
 * open still answers a ROOT request; and once the channel is closed no buffer is left allocated.
 */
@Timeout(120)
class BrokerFuzzTest {
    /**
     * (a) An input is one byte {@code s}, then the bytes the peer sends: the first {@code s}
     * of them in one read (the hello and maybe more), the rest in a second.
     */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/jpb-wire.dict")
    @FuzzTest(maxDuration = "60s")
    void handshakeThenFrames(byte[] data) {
        try (WireFuzzing w = new WireFuzzing()) {
            w.peer.readHello();
            if (data.length == 0) {
                return;
            }
            int split = Math.min(1 + (data[0] & 0xff), data.length);
            if (split > 1) {
                w.write(data, 1, split);
            }
            if (w.peer.handshake.isDone() && !w.peer.handshake.isCompletedExceptionally()
                    && w.peer.channel.isOpen()) {
                w.guard();
            }
            if (split < data.length && w.peer.channel.isOpen()) {
                w.write(data, split, data.length);
            }
            w.checkHandshakeOutcome();
            if (!w.peer.handshake.isDone()) {
                assertThat(data.length - 1).as("bytes of a pending hello")
                        .isLessThan(Hello.LENGTH);
                assertThat(w.peer.channel.isOpen()).isTrue();
            }
        }
    }

    /**
     * (c) After a valid handshake, an input is a sequence of frame bodies, each preceded by its
     * length in one byte (below 0x80) or two (the first with its top bit set); the harness adds
     * the 4-byte prefix.
     */
    @DictionaryFile(resourcePath = "/dev/jpb/fuzz/jpb-wire.dict")
    @FuzzTest(maxDuration = "60s")
    void framesAfterHandshake(byte[] data) {
        try (WireFuzzing w = new WireFuzzing()) {
            w.peer.connect(WireFuzzing.LIMITS.maxFrameBytes());
            w.guard();
            int i = 0;
            while (i < data.length && w.peer.channel.isOpen()) {
                int length = data[i++] & 0xff;
                if (length >= 0x80 && i < data.length) {
                    length = (length & 0x7f) << 8 | data[i++] & 0xff;
                }
                int end = Math.min(data.length, i + length);
                w.frame(data, i, end);
                i = end;
            }
            if (w.peer.channel.isOpen()) {
                long id = 1L << 40;
                Output out = new Output(16);
                out.writeByte(MessageKind.ROOT);
                out.writeVarLong(id, true);
                byte[] root = out.toBytes();
                int before = w.sent.size();
                w.frame(root, 0, root.length);
                if (w.peer.channel.isOpen()) {
                    assertThat(w.sent.subList(before, w.sent.size()))
                            .as("answers to a ROOT request after the input")
                            .anySatisfy(f -> {
                                assertThat(f.kind()).isEqualTo(MessageKind.ANSWER);
                                assertThat(f.input().readVarLong(true)).isEqualTo(id);
                            });
                }
            }
        }
    }
}
