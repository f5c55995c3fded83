package dev.jpb.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.esotericsoftware.kryo.io.Output;
import dev.jpb.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every message kind written and read back, against the byte examples of docs/protocol.md. */
@Timeout(10)
class FrameCodecTest {
    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
    }

    private static String hexOf(String ascii) {
        return ByteBufUtil.hexDump(ascii.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private static byte[] written(Consumer<Output> write) {
        Output out = new Output(64, -1);
        write.accept(out);
        return out.toBytes();
    }

    /** Reads {@code body}; returns the frame and checks what is left: the values. */
    private static Frame read(byte[] body, String valuesLeft) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        Frame frame = FrameCodec.read(in);
        assertThat(ByteBufUtil.hexDump(in)).isEqualTo(valuesLeft.replace(" ", ""));
        return frame;
    }

    @Test
    void callAddTwoThree() { // §4.1
        byte[] body = hex("01 02 01 04 61 64 64 02 10 04 10 06");
        Frame.Call call = new Frame.Call(2, 1, "add", 2);

        assertThat(read(body, "10 04 10 06")).isEqualTo(call);
        assertThat(written(out -> FrameCodec.write(out, call)))
                .isEqualTo(hex("01 02 01 04 61 64 64 02"));
    }

    @Test
    void answerFive() { // §4.2
        Frame.Answer answer = new Frame.Answer(2);

        assertThat(read(hex("02 02 10 0a"), "10 0a")).isEqualTo(answer);
        assertThat(written(out -> FrameCodec.write(out, answer))).isEqualTo(hex("02 02"));
    }

    @Test
    void errorByNameOnly() { // §4.3, remote_boom()
        byte[] body = hex("03 02 20" + hexOf("java.lang.IllegalStateException")
                + "05 62 6f 6f 6d 00 00");
        Frame.Error error = new Frame.Error(2, "java.lang.IllegalStateException", "boom",
                null, false);

        assertThat(body).hasSize(0x29);
        assertThat(read(body, "")).isEqualTo(error);
        assertThat(written(out -> FrameCodec.write(out, error))).isEqualTo(body);
    }

    @Test
    void errorWithItsObject() { // §4.3, remote_pboom()
        byte[] header = hex("03 02 10" + hexOf("dev.jpb.PbError") + "08" + hexOf("pb boom")
                + "00 01");
        byte[] body = new byte[header.length + 9];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(hex("10 01 70 62 20 62 6f 6f ed"), 0, body, header.length, 9);
        Frame.Error error = new Frame.Error(2, "dev.jpb.PbError", "pb boom", null, true);

        assertThat(body).hasSize(0x25);
        assertThat(read(body, "10 01 70 62 20 62 6f 6f ed")).isEqualTo(error);
        assertThat(written(out -> FrameCodec.write(out, error))).isEqualTo(header);
    }

    @Test
    void decrefOnePair() { // §4.4
        Frame.Decref decref = new Frame.Decref(List.of(new Frame.Decref.Pair(1, 1)));

        assertThat(read(hex("04 01 01 01"), "")).isEqualTo(decref);
        assertThat(written(out -> FrameCodec.write(out, decref))).isEqualTo(hex("04 01 01 01"));
    }

    @Test
    void typesInteger() { // §4.5
        byte[] body = hex("05 10 01 12" + hexOf("java.lang.Integer"));
        Frame.Types types = new Frame.Types(16, List.of("java.lang.Integer"));

        assertThat(read(body, "")).isEqualTo(types);
        assertThat(written(out -> FrameCodec.write(out, types))).isEqualTo(body);
    }

    @Test
    void rootRequest() { // §4.6
        assertThat(read(hex("06 01"), "")).isEqualTo(new Frame.Root(1));
        assertThat(written(out -> FrameCodec.write(out, new Frame.Root(1))))
                .isEqualTo(hex("06 01"));
    }

    @Test
    void loginFrames() { // §13.2
        String clientFirst = "n,,n=alice,r=abc";
        byte[] login = hex("07 01 0e" + hexOf("SCRAM-SHA-256") + "11" + hexOf(clientFirst));
        Frame.Login l = new Frame.Login(1, "SCRAM-SHA-256", clientFirst);
        assertThat(read(login, "")).isEqualTo(l);
        assertThat(written(out -> FrameCodec.write(out, l))).isEqualTo(login);

        Frame.Login anonymous = new Frame.Login(3, "ANONYMOUS", null);
        byte[] anon = hex("07 03 0a" + hexOf("ANONYMOUS") + "00");
        assertThat(written(out -> FrameCodec.write(out, anonymous))).isEqualTo(anon);
        assertThat(read(hex("07 03 0a" + hexOf("ANONYMOUS") + "00 00"), "00"))
                .isEqualTo(anonymous);

        Frame.LoginChallenge c = new Frame.LoginChallenge(1, "r=abcdef,s=c2FsdA==,i=4096");
        byte[] challenge = hex("08 01 1b" + hexOf("r=abcdef,s=c2FsdA==,i=4096"));
        assertThat(read(challenge, "")).isEqualTo(c);
        assertThat(written(out -> FrameCodec.write(out, c))).isEqualTo(challenge);

        Frame.LoginProof p = new Frame.LoginProof(2, "c=biws,r=abcdef,p=x");
        byte[] proof = hex("09 02 14" + hexOf("c=biws,r=abcdef,p=x"));
        assertThat(read(hex("09 02 14" + hexOf("c=biws,r=abcdef,p=x") + "00"), "00"))
                .isEqualTo(p);
        assertThat(written(out -> FrameCodec.write(out, p))).isEqualTo(proof);

        Frame.LoginOk ok = new Frame.LoginOk(2, "v=sig");
        assertThat(read(hex("0a 02 06" + hexOf("v=sig") + "01 01 01"), "01 01 01"))
                .isEqualTo(ok);
        assertThat(written(out -> FrameCodec.write(out, ok)))
                .isEqualTo(hex("0a 02 06" + hexOf("v=sig")));

        assertThat(read(hex("0b 04"), "")).isEqualTo(new Frame.Logout(4));
        assertThat(written(out -> FrameCodec.write(out, new Frame.Logout(4))))
                .isEqualTo(hex("0b 04"));
        assertThatThrownBy(() -> read(hex("08 01 09 72"), ""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("runs past");
    }

    @Test
    void theCapturedEchoCallOfTheWorkedExample() { // §10
        byte[] body = hex("01 03 01 05 65 63 68 6f 01 11 68 e9");

        assertThat(read(body, "11 68 e9")).isEqualTo(new Frame.Call(3, 1, "echo", 1));
    }

    @Test
    void aNineByteVarLongCarriesAllSixtyFourBits() { // §1.1
        Frame.Call call = new Frame.Call(-1, Long.MAX_VALUE, "x", 0);
        byte[] body = written(out -> FrameCodec.write(out, call));

        assertThat(body).hasSize(1 + 9 + 9 + 2 + 1);
        assertThat(read(body, "")).isEqualTo(call);
    }

    @Test
    void headersThatRunPastTheFrameAreProtocolErrors() {
        assertThatThrownBy(() -> read(hex(""), "")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("empty frame");
        assertThatThrownBy(() -> read(hex("7f"), "")).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("unknown message kind 127");
        assertThatThrownBy(() -> read(hex("01 02 01 09 61"), ""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> read(hex("01 02 01 00 00"), ""))
                .as("a null method name").isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(hex("01 02 01 02 61 05 10"), ""))
                .as("argc larger than the bytes left").isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> read(hex("04 05 01 01"), ""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("decref count");
        assertThatThrownBy(() -> read(hex("02 ff ff"), ""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("runs past");
    }

    @Test
    void callWithADeadlineOfOneAndAHalfSeconds() { // §14.1
        byte[] body = hex("11 02 01 04 61 64 64 02 e0 c6 5b 10 04 10 06");
        Frame.Call call = new Frame.Call(2, 1, "add", 2, 1_500_000);

        assertThat(read(body, "10 04 10 06")).isEqualTo(call);
        assertThat(call.kind()).isEqualTo(MessageKind.CALL_DEADLINE);
        assertThat(written(out -> FrameCodec.write(out, call)))
                .isEqualTo(hex("11 02 01 04 61 64 64 02 e0 c6 5b"));
        assertThat(new Frame.Call(2, 1, "add", 2).kind()).isEqualTo(MessageKind.CALL);
    }

    @Test
    void aDeadlineOf2To63OrMoreMicrosIsMalformed() {
        assertThatThrownBy(() -> read(hex("11 02 01 04 61 64 64 00 ff ff ff ff ff ff ff ff ff"),
                "")).isInstanceOf(ProtocolException.class).hasMessageContaining("malformed");
    }

    @Test
    void cancelPingAndPong() { // §14.2, §14.3
        assertThat(read(hex("0e 02"), "")).isEqualTo(new Frame.Cancel(2));
        assertThat(written(out -> FrameCodec.write(out, new Frame.Cancel(2))))
                .isEqualTo(hex("0e 02"));
        assertThat(read(hex("0f"), "")).isEqualTo(new Frame.Ping(false));
        assertThat(read(hex("10"), "")).isEqualTo(new Frame.Ping(true));
        assertThat(written(out -> FrameCodec.write(out, new Frame.Ping(false))))
                .isEqualTo(hex("0f"));
        assertThat(written(out -> FrameCodec.write(out, new Frame.Ping(true))))
                .isEqualTo(hex("10"));
    }

    @Test
    void framesWithoutValuesAreHeaderOnly() { // §3: bytes after them are a violation
        assertThat(FrameCodec.isHeaderOnly(new Frame.Call(1, 1, "m", 0))).isTrue();
        assertThat(FrameCodec.isHeaderOnly(new Frame.Call(1, 1, "m", 1))).isFalse();
        assertThat(FrameCodec.isHeaderOnly(new Frame.Answer(1))).isFalse();
        assertThat(FrameCodec.isHeaderOnly(new Frame.Root(1))).isTrue();
        assertThat(FrameCodec.isHeaderOnly(new Frame.Cancel(1))).isTrue();
        assertThat(FrameCodec.isHeaderOnly(new Frame.Error(1, "t", null, null, true))).isFalse();
    }

    /** Reads {@code body} into a header as the broker does; checks what is left: the values. */
    private static FrameCodec.CallHeader readCall(byte[] body, String valuesLeft) {
        ByteBuf in = Unpooled.wrappedBuffer(body);
        FrameCodec.CallHeader h = new FrameCodec.CallHeader();
        FrameCodec.readCall(in, h);
        assertThat(ByteBufUtil.hexDump(in)).isEqualTo(valuesLeft.replace(" ", ""));
        return h;
    }

    @Test
    void aCallReadIntoAHeaderHasTheFieldsOfItsRecord() { // §4.1, §14.1, as read() reads them
        FrameCodec.CallHeader h = readCall(hex("01 02 01 04 61 64 64 02 10 04 10 06"),
                "10 04 10 06");
        assertThat(new Frame.Call(h.requestId, h.targetId, h.method, h.argc, h.timeoutMicros))
                .isEqualTo(new Frame.Call(2, 1, "add", 2));
        assertThat(h.hasDeadline()).isFalse();

        // the same header object, filled again by the next call: nothing of the first is left
        ByteBuf in = Unpooled.wrappedBuffer(hex("11 03 07 04 61 64 64 00 e0 c6 5b"));
        FrameCodec.readCall(in, h);
        assertThat(in.isReadable()).isFalse();
        assertThat(new Frame.Call(h.requestId, h.targetId, h.method, h.argc, h.timeoutMicros))
                .isEqualTo(new Frame.Call(3, 7, "add", 0, 1_500_000));
        assertThat(h.hasDeadline()).isTrue();

        Frame.Call big = new Frame.Call(-1, Long.MAX_VALUE, "x", 0);
        h = readCall(written(out -> FrameCodec.write(out, big)), "");
        assertThat(new Frame.Call(h.requestId, h.targetId, h.method, h.argc, h.timeoutMicros))
                .isEqualTo(big);
    }

    @Test
    void aMalformedCallReadIntoAHeaderFailsAsReadFails() {
        for (String body : List.of("01 02 01 09 61", "01 02 01 00 00", "01 02 01 02 61 05 10",
                "11 02 01 04 61 64 64 00 ff ff ff ff ff ff ff ff ff", "01", "")) {
            Throwable byRecord = org.assertj.core.api.Assertions.catchThrowable(
                    () -> read(hex(body), ""));
            assertThat(byRecord).as(body).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> readCall(hex(body), "")).as(body)
                    .isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> readCall(hex("02 02 10 0a"), ""))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not a call");
    }

    @Test
    void anAnswersRequestIdIsReadWithoutARecord() { // §4.2
        ByteBuf in = Unpooled.wrappedBuffer(hex("02 02 10 0a"));
        assertThat(FrameCodec.peekKind(in)).isEqualTo(MessageKind.ANSWER);
        assertThat(in.readerIndex()).as("peeking reads nothing").isZero();

        assertThat(FrameCodec.readAnswer(in)).isEqualTo(2);
        assertThat(ByteBufUtil.hexDump(in)).isEqualTo("100a");
        assertThat(FrameCodec.peekKind(Unpooled.EMPTY_BUFFER)).isEqualTo(-1);
        assertThatThrownBy(() -> FrameCodec.readAnswer(Unpooled.wrappedBuffer(hex("02 ff"))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("runs past");
        assertThatThrownBy(() -> FrameCodec.readAnswer(Unpooled.wrappedBuffer(hex("0e 02"))))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not an answer");
    }

    @Test
    void callAndAnswerHeadersWrittenWithoutARecordAreTheRecordsBytes() { // §4.1, §4.2, §14.1
        assertThat(written(out -> FrameCodec.writeCall(out, 2, 1, "add", 2, -1)))
                .isEqualTo(hex("01 02 01 04 61 64 64 02"));
        assertThat(written(out -> FrameCodec.writeCall(out, 2, 1, "add", 2, 1_500_000)))
                .isEqualTo(hex("11 02 01 04 61 64 64 02 e0 c6 5b"));
        assertThat(written(out -> FrameCodec.writeAnswer(out, 2))).isEqualTo(hex("02 02"));
    }

    @Test
    void anUpdateReadIntoAHeaderHasTheFieldsOfItsRecord() { // §4.8, as read() reads it
        byte[] written = written(out -> FrameCodec.writeObserve(out, 300, "deliver", 1));
        assertThat(written).isEqualTo(written(out -> FrameCodec.write(out,
                new Frame.Observe(300, "deliver", 1)))); // no record, the same bytes
        byte[] body = java.util.Arrays.copyOf(written, written.length + 2);
        body[written.length] = 0x10; // a value's first bytes, left to the copy
        body[written.length + 1] = 0x0a;
        Frame.Observe byRecord = (Frame.Observe) read(body, "10 0a");

        ByteBuf in = Unpooled.wrappedBuffer(body);
        FrameCodec.ObserveHeader h = new FrameCodec.ObserveHeader();
        FrameCodec.readObserve(in, h);
        assertThat(ByteBufUtil.hexDump(in)).isEqualTo("100a");
        assertThat(h.objectId).isEqualTo(byRecord.objectId()).isEqualTo(300);
        assertThat(h.method).isEqualTo(byRecord.method()).isEqualTo("deliver");
        assertThat(h.argc).isEqualTo(byRecord.argc()).isEqualTo(1);
    }

    @Test
    void aMalformedUpdateReadIntoAHeaderFailsAsReadFails() {
        // id 1, name "abc", 5 values in 0 bytes; a name past the end; no name
        for (String body : List.of("0d 01 04 61 62 63 05", "0d 01 09 61", "0d 01", "0d")) {
            Throwable byRecord = org.assertj.core.api.Assertions.catchThrowable(
                    () -> read(hex(body), ""));
            assertThat(byRecord).as(body).isInstanceOf(ProtocolException.class);
            assertThatThrownBy(() -> FrameCodec.readObserve(Unpooled.wrappedBuffer(hex(body)),
                    new FrameCodec.ObserveHeader())).as(body)
                    .isInstanceOf(ProtocolException.class);
        }
        assertThatThrownBy(() -> FrameCodec.readObserve(Unpooled.wrappedBuffer(
                hex("02 02 10 0a")), new FrameCodec.ObserveHeader()))
                .isInstanceOf(ProtocolException.class).hasMessageContaining("not an update");
    }
}
