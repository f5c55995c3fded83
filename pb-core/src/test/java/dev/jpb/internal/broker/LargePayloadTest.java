package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.jpb.LimitExceededException;
import dev.jpb.Root;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Large payloads through a broker: arguments decoded from the frame without a whole copy
 * ({@code SafeInput}'s window), answers written with their arrays straight into the frame
 * ({@link FrameOutput}); frames split across reads, in composite buffers, and forged ones.
 */
@Timeout(20)
class LargePayloadTest {
    public static class Bytes extends Root {
        public byte[] remote_echo(byte[] b) {
            return b;
        }

        public List<Object> remote_pair(byte[] a, String s, byte[] b) {
            return List.of(b, s, a);
        }

        public List<byte[]> remote_two(int n) {
            return List.of(random(n, 1), random(n, 2));
        }

        public int remote_ping() {
            return 1;
        }
    }

    private FramePeer peer = new FramePeer(new Bytes());

    @AfterEach
    void close() {
        peer.close();
    }

    static byte[] random(int n, int seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private long root() {
        peer.sendRoot(1);
        return ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();
    }

    private Object answer(FramePeer.Frame frame, long requestId) {
        assertThat(frame.kind()).as("an answer").isEqualTo(MessageKind.ANSWER);
        Input in = frame.input();
        assertThat(in.readVarLong(true)).isEqualTo(requestId);
        Object value = peer.values(in, 1)[0];
        assertThat(in.position()).as("the whole frame is read").isEqualTo(in.limit());
        return value;
    }

    /** An ERROR frame's type and message. */
    private static String error(FramePeer.Frame frame, long requestId) {
        assertThat(frame.kind()).as("an error").isEqualTo(MessageKind.ERROR);
        Input in = frame.input();
        assertThat(in.readVarLong(true)).isEqualTo(requestId);
        String type = WireStrings.read(in);
        return type + ": " + WireStrings.read(in);
    }

    /** A whole CALL frame (length, body) of {@code method} with {@code args}. */
    private byte[] callFrame(long requestId, long target, String method, Object... args) {
        Output out = new Output(256, -1);
        out.writeInt(0);
        out.writeByte(MessageKind.CALL);
        out.writeVarLong(requestId, true);
        out.writeVarLong(target, true);
        WireStrings.write(out, method);
        out.writeVarInt(args.length, true);
        peer.codec.write(out, args, peer.session);
        byte[] frame = out.toBytes();
        int n = frame.length - 4;
        frame[0] = (byte) (n >>> 24);
        frame[1] = (byte) (n >>> 16);
        frame[2] = (byte) (n >>> 8);
        frame[3] = (byte) n;
        peer.sendPendingTypes(); // ahead of the frame the test then sends
        return frame;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 1023, 1024, 8 * 1024 - 40, 16 * 1024, 100 * 1024})
    void aPayloadOfAnySizeIsEchoedWhole(int size) {
        peer.connect();
        long root = root();
        byte[] payload = random(size, size);

        peer.sendCall(2, root, "echo", (Object) payload);

        assertThat((byte[]) answer(peer.receiveOne(), 2)).isEqualTo(payload);
    }

    @Test
    @SuppressWarnings("unchecked")
    void largeAndSmallValuesMixedKeepTheirOrderBothWays() {
        peer.connect();
        long root = root();
        byte[] a = random(20_000, 3);
        byte[] b = random(3000, 4);
        String s = "between ".repeat(1000);

        peer.sendCall(2, root, "pair", a, s, b);

        assertThat((List<Object>) answer(peer.receiveOne(), 2)).containsExactly(b, s, a);
    }

    @Test
    void aCallSplitAcrossSeveralReadsIsDecoded() {
        peer.connect();
        long root = root();
        byte[] payload = random(50_000, 5);
        byte[] frame = callFrame(2, root, "echo", (Object) payload);

        int[] cuts = {0, 3, 4, 700, 8191, 8193, 30_000, frame.length};
        for (int i = 0; i + 1 < cuts.length; i++) { // one read each, in direct buffers
            ByteBuf piece = Unpooled.directBuffer(cuts[i + 1] - cuts[i]);
            piece.writeBytes(frame, cuts[i], cuts[i + 1] - cuts[i]);
            peer.channel.writeInbound(piece);
        }

        assertThat((byte[]) answer(peer.receiveOne(), 2)).isEqualTo(payload);
    }

    @Test
    void aCallInACompositeBufferIsDecoded() {
        peer.connect();
        long root = root();
        byte[] payload = random(40_000, 6);
        byte[] frame = callFrame(2, root, "echo", (Object) payload);
        byte[] next = callFrame(3, root, "echo", (Object) random(2000, 7));
        CompositeByteBuf c = Unpooled.compositeBuffer();
        c.addComponent(true, Unpooled.wrappedBuffer(frame, 0, 9000));
        c.addComponent(true, Unpooled.directBuffer().writeBytes(frame, 9000, 21_000));
        c.addComponent(true, Unpooled.wrappedBuffer(frame, 30_000, frame.length - 30_000));
        c.addComponent(true, Unpooled.wrappedBuffer(next));

        peer.channel.writeInbound(c);

        List<FramePeer.Frame> answers = peer.receive();
        assertThat(answers).hasSize(2);
        assertThat((byte[]) answer(answers.get(0), 2)).isEqualTo(payload);
        assertThat((byte[]) answer(answers.get(1), 3)).isEqualTo(random(2000, 7));
    }

    @Test
    void aForgedLengthInsideALargeFrameIsAnsweredWithAnErrorAndTheChannelLives() {
        peer.connect();
        long root = root();
        byte[] frame = callFrame(2, root, "echo", (Object) random(20_000, 8));
        // The array's length, a 3-byte varint of 20,001 before its bytes, forged to 2^20.
        int at = frame.length - 20_000 - 3;
        Output varint = new Output(8);
        assertThat(varint.writeVarInt(20_001, true)).isEqualTo(3);
        assertThat(Arrays.copyOfRange(frame, at, at + 3)).isEqualTo(varint.toBytes());
        varint.setPosition(0);
        assertThat(varint.writeVarInt((1 << 20) + 1, true)).isEqualTo(3);
        System.arraycopy(varint.toBytes(), 0, frame, at, 3);

        peer.writeRaw(frame);

        assertThat(error(peer.receiveOne(), 2)).contains(LimitExceededException.class.getName())
                .contains("declared length " + (1 << 20) + " is larger than the");
        assertThat(peer.channel.isOpen()).isTrue();
        peer.sendCall(3, root, "ping");
        assertThat(answer(peer.receiveOne(), 3)).isEqualTo(1);
    }

    @Test
    void aLargeFrameEndingMidArrayIsAnsweredWithAnError() {
        peer.connect();
        long root = root();
        byte[] whole = callFrame(2, root, "echo", (Object) random(20_000, 9));
        byte[] frame = Arrays.copyOf(whole, whole.length - 100); // the frame says it ends early
        int n = frame.length - 4;
        frame[0] = (byte) (n >>> 24);
        frame[1] = (byte) (n >>> 16);
        frame[2] = (byte) (n >>> 8);
        frame[3] = (byte) n;

        peer.writeRaw(frame);

        assertThat(error(peer.receiveOne(), 2)).contains(LimitExceededException.class.getName())
                .contains("declared length 20000");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void anAnswerWithAnArrayPastThePeersLimitBecomesALimitExceededError() {
        peer.connect(10_000);
        long root = root();

        peer.sendCall(2, root, "two", 6000); // the first spills, the second breaks the limit
        assertThat(error(peer.receiveOne(), 2)).contains(LimitExceededException.class.getName())
                .contains("maxFrameBytes");
        peer.sendCall(3, root, "two", 12_000); // the first breaks it
        assertThat(error(peer.receiveOne(), 3)).contains(LimitExceededException.class.getName());

        peer.sendCall(4, root, "two", 4000); // fits: the output is usable after the failures
        assertThat((List<Object>) answer(peer.receiveOne(), 4))
                .containsExactly(random(4000, 1), random(4000, 2));
        assertThat(peer.channel.isOpen()).isTrue();
    }
}
