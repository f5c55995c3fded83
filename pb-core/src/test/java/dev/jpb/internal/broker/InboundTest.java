package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import dev.jpb.ConnectionLostException;
import dev.jpb.DeadReferenceException;
import dev.jpb.LimitExceededException;
import dev.jpb.Limits;
import dev.jpb.NoSuchObjectException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.PbError;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.reflect.Array;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class InboundTest {
    public static class EchoRoot extends Root {
        final List<CompletableFuture<String>> later = new ArrayList<>();

        public String remote_echo(String s) {
            return s;
        }

        /** Empty int arrays of 1 to {@code n} dimensions: n type names never sent before. */
        public List<Object> remote_arrays(int n) {
            List<Object> arrays = new ArrayList<>();
            for (int dims = 1; dims <= n; dims++) {
                arrays.add(Array.newInstance(int.class, new int[dims]));
            }
            return arrays;
        }

        public String remote_ping() {
            return "pong";
        }

        public CompletableFuture<String> remote_later() {
            CompletableFuture<String> f = new CompletableFuture<>();
            later.add(f);
            return f;
        }
    }

    private FramePeer peer = new FramePeer(new EchoRoot());

    @AfterEach
    void close() {
        peer.close();
    }

    private void limits(Limits limits) {
        peer.close();
        peer = new FramePeer(new EchoRoot(), limits);
    }

    /** An ERROR frame's fields; the error object, if sent, decoded by the peer. */
    private record ErrorAnswer(long requestId, String type, String message, String trace,
            Object error) {
    }

    private ErrorAnswer error(FramePeer.Frame frame) {
        assertThat(frame.kind()).isEqualTo(MessageKind.ERROR);
        Input in = frame.input();
        long requestId = in.readVarLong(true);
        String type = WireStrings.read(in);
        String message = WireStrings.read(in);
        String trace = WireStrings.read(in);
        Object error = in.readByte() != 0 ? peer.values(in, 1)[0] : null;
        return new ErrorAnswer(requestId, type, message, trace, error);
    }

    private Object answer(FramePeer.Frame frame, long requestId) {
        assertThat(frame.kind()).isEqualTo(MessageKind.ANSWER);
        Input in = frame.input();
        assertThat(in.readVarLong(true)).isEqualTo(requestId);
        Object value = peer.values(in, 1)[0];
        assertThat(in.position()).as("the whole frame is read").isEqualTo(in.limit());
        return value;
    }

    // ---- serving

    @Test
    void rootRequestIsAnsweredWithAReferenceToTheRoot() {
        Broker broker = peer.connect();

        peer.sendRoot(5);

        Object root = answer(peer.receiveOne(), 5);
        assertThat(root).isInstanceOf(FramePeer.PeerReference.class);
        assertThat(broker.connection().exportedObjectCount()).isEqualTo(1);
        assertThat(broker.exports.get(((FramePeer.PeerReference) root).id()))
                .isInstanceOf(EchoRoot.class);
    }

    @Test
    void aCallToTheRootIsAnswered() {
        peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "echo", "hello");

        assertThat(answer(peer.receiveOne(), 2)).isEqualTo("hello");
    }

    @Test
    void aCallToAnUnknownObjectGetsNoSuchObjectAndTheChannelStaysOpen() {
        peer.connect();

        peer.sendCall(7, 42, "anything");

        ErrorAnswer e = error(peer.receiveOne());
        assertThat(e.requestId()).isEqualTo(7);
        assertThat(e.type()).isEqualTo("dev.jpb.NoSuchObjectException");
        assertThat(e.message()).contains("no object 42");
        assertThat(e.trace()).isNull();
        assertThat(e.error()).isInstanceOf(NoSuchObjectException.class);
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aCallToAnUnknownMethodGetsNoSuchRemoteMethod() {
        peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "missing", 1, 2);

        ErrorAnswer e = error(peer.receiveOne());
        assertThat(e.type()).isEqualTo(NoSuchRemoteMethodException.class.getName());
        assertThat(e.error()).isInstanceOf(NoSuchRemoteMethodException.class);
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aCallWhoseArgumentsCannotBeDecodedIsAnsweredWithAnErrorAndTheChannelLives() {
        peer.connect();
        peer.send(out -> {
            out.writeByte(MessageKind.CALL);
            out.writeVarLong(3, true);
            out.writeVarLong(1, true);
            WireStrings.write(out, "echo");
            out.writeVarInt(1, true);
            out.writeVarInt(99, true); // a type id never defined
        });

        ErrorAnswer e = error(peer.receiveOne());
        assertThat(e.requestId()).isEqualTo(3);
        assertThat(e.type()).isEqualTo(PbError.class.getName());
        assertThat(e.message()).contains("type id 99");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void aOneWayCallIsNotAnswered() {
        peer.connect();

        peer.sendCall(0, 42, "anything");

        assertThat(peer.receive()).isEmpty();
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void anAnswerTooLargeForThePeerBecomesALimitExceededError() {
        peer.connect(1024);
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "echo", "z".repeat(2000));

        ErrorAnswer e = error(peer.receiveOne());
        assertThat(e.requestId()).isEqualTo(2);
        assertThat(e.type()).isEqualTo(LimitExceededException.class.getName());
        assertThat(e.message()).contains("maxFrameBytes");
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void manyNewTypeNamesAreDefinedInFramesThePeerAccepts() {
        peer.connect(1024);
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "arrays", 200);
        List<?> arrays = (List<?>) answer(peer.receiveOne(), 2);

        assertThat(arrays).hasSize(200);
        assertThat(arrays.get(199).getClass().getName()).isEqualTo("[".repeat(200) + "I");
        // 200 names of 2 to 201 bytes: more than one frame's worth by count and by size
        assertThat(peer.typesFrameLengths).hasSizeGreaterThan(2)
                .allSatisfy(length -> assertThat(length).isLessThanOrEqualTo(1024));
    }

    // ---- back-pressure

    @Test
    void callsPastMaxInFlightCallsWaitUntilOneFinishesWhileReadingGoesOn() {
        EchoRoot root = new EchoRoot();
        peer.close();
        peer = new FramePeer(root, Limits.builder().maxInFlightCalls(2).build());
        Broker broker = peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "later");
        peer.sendCall(3, rootId, "later");
        assertThat(broker.isHolding()).isFalse();

        peer.sendCall(4, rootId, "echo", "waits");
        assertThat(broker.isHolding()).isTrue();
        assertThat(peer.channel.config().isAutoRead())
                .as("only calls wait: answers and releases are still read").isTrue();
        assertThat(peer.receive()).as("the third call is held back").isEmpty();
        assertThat(root.later).hasSize(2);

        root.later.get(0).complete("first");
        List<FramePeer.Frame> frames = peer.receive();

        assertThat(frames).hasSize(2);
        assertThat(answer(frames.get(0), 2)).isEqualTo("first");
        assertThat(answer(frames.get(1), 4)).isEqualTo("waits");
        root.later.get(1).complete("second");
        assertThat(answer(peer.receiveOne(), 3)).isEqualTo("second");
        peer.runTasks();
        assertThat(broker.isHolding()).isFalse();
    }

    @Test
    void answersGetThroughWhileCallsArePaused() {
        EchoRoot root = new EchoRoot();
        peer.close();
        peer = new FramePeer(root, Limits.builder().maxInFlightCalls(1).build());
        Broker broker = peer.connect();
        CompletableFuture<RemoteReference> ours = broker.rootObject();
        long ourRequest = peer.receiveOne().input().readVarLong(true);
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();
        peer.sendCall(2, rootId, "later");
        peer.sendCall(3, rootId, "echo", "held");
        assertThat(broker.isHolding()).isTrue();

        peer.sendReferenceAnswer(ourRequest, 12);

        assertThat(ours).isCompleted();
        root.later.get(0).complete("done");
        peer.runTasks();
        assertThat(peer.receive()).hasSize(2); // the held call ran after the first
    }

    @Test
    void framesHeldBackAreReleasedWhenTheChannelCloses() {
        EchoRoot root = new EchoRoot();
        peer.close();
        peer = new FramePeer(root, Limits.builder().maxInFlightCalls(1).build());
        peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();
        peer.sendCall(2, rootId, "later");
        ByteBuf held = Unpooled.buffer();
        // CALL 3 -> root "echo"(null): a held call keeps its undecoded arguments
        held.writeInt(10).writeByte(MessageKind.CALL).writeByte(3).writeByte((int) rootId)
                .writeByte(5).writeBytes("echo".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .writeByte(1).writeByte(0);
        held.retain(); // one reference for the channel, one for this test

        peer.channel.writeInbound(held);
        assertThat(held.refCnt()).as("held back, not yet released").isEqualTo(2);
        peer.channel.close();

        assertThat(held.refCnt()).isEqualTo(1);
        held.release();
    }

    // ---- answers to our own requests

    @Test
    void theSameObjectReceivedTwiceIsOneProxyAndItsReleaseGivesBackBoth() throws Exception {
        Broker broker = peer.connect();
        CompletableFuture<RemoteReference> first = broker.rootObject();
        CompletableFuture<RemoteReference> second = broker.rootObject();
        List<FramePeer.Frame> requests = peer.receive();
        assertThat(requests).hasSize(2);
        for (FramePeer.Frame request : requests) {
            long requestId = request.input().readVarLong(true);
            peer.sendReferenceAnswer(requestId, 12);
        }

        assertThat(first.get()).isSameAs(second.get());
        assertThat(broker.connection().importedReferenceCount()).isEqualTo(1);

        first.get().release();
        Input in = peer.receiveOne().input();
        assertThat(in.readVarInt(true)).isEqualTo(1);
        assertThat(in.readVarLong(true)).isEqualTo(12);
        assertThat(in.readVarInt(true)).as("both receipts given back").isEqualTo(2);
    }


    @Test
    void ourRootRequestGoesOutAsARootFrameAndItsAnswerCompletesTheFuture() throws Exception {
        Broker broker = peer.connect();

        CompletableFuture<RemoteReference> root = broker.rootObject();
        FramePeer.Frame request = peer.receiveOne();
        assertThat(request.kind()).isEqualTo(MessageKind.ROOT);
        long requestId = request.input().readVarLong(true);
        assertThat(root).isNotDone();

        // the peer's own object 12, sent by reference
        peer.sendReferenceAnswer(requestId, 12);

        assertThat(root).isCompleted();
        assertThat(root.get().isConnected()).isTrue();
        assertThat(broker.connection().importedReferenceCount()).isEqualTo(1);

        root.get().release();
        FramePeer.Frame decref = peer.receiveOne();
        assertThat(decref.kind()).isEqualTo(MessageKind.DECREF);
        Input in = decref.input();
        assertThat(in.readVarInt(true)).isEqualTo(1);
        assertThat(in.readVarLong(true)).isEqualTo(12);
        assertThat(in.readVarInt(true)).isEqualTo(1);
        assertThat(broker.connection().importedReferenceCount()).isZero();
    }

    @Test
    void callsWithoutArgumentsAreAnsweredAndBytesAfterTheirHeaderAreAViolation() {
        limits(Limits.builder().maxViolations(1).build());
        peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.sendCall(2, rootId, "ping");
        assertThat(answer(peer.receiveOne(), 2)).isEqualTo("pong");
        peer.send(out -> { // the same with a deadline of 5 s (CALL_DEADLINE)
            out.writeByte(MessageKind.CALL_DEADLINE);
            out.writeVarLong(3, true);
            out.writeVarLong(rootId, true);
            WireStrings.write(out, "ping");
            out.writeVarInt(0, true);
            out.writeVarLong(5_000_000, true);
        });
        assertThat(answer(peer.receiveOne(), 3)).isEqualTo("pong");
        assertThat(peer.channel.isOpen()).isTrue();

        peer.send(out -> {
            out.writeByte(MessageKind.CALL_DEADLINE);
            out.writeVarLong(4, true);
            out.writeVarLong(rootId, true);
            WireStrings.write(out, "ping");
            out.writeVarInt(0, true);
            out.writeVarLong(5_000_000, true);
            out.writeByte(0xff); // no argument was announced
        });
        peer.receive();
        assertThat(peer.channel.isOpen()).as("closed at the first violation").isFalse();
    }

    @Test
    void anAnswerWithBytesAfterItsValueIsAViolation() {
        limits(Limits.builder().maxViolations(1).build());
        Broker broker = peer.connect();
        CompletableFuture<RemoteReference> root = broker.rootObject();
        long requestId = peer.receiveOne().input().readVarLong(true);

        peer.send(out -> {
            out.writeByte(MessageKind.ANSWER);
            out.writeVarLong(requestId, true);
            out.writeBytes(new byte[] {1, 1, 12}); // REFERENCE, new, id 12
            out.writeByte(0xff); // after the one value an answer holds
        });
        peer.runTasks();

        assertThat(peer.channel.isOpen()).as("closed at the first violation").isFalse();
        assertThat(root).isDone();
    }

    @Test
    void anAnswerToAnUnknownRequestIsAViolationNotAClose() {
        peer.connect();

        peer.sendAnswer(77, "unasked");

        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void pendingRequestsFailWithConnectionLostWhenTheChannelCloses() {
        Broker broker = peer.connect();
        CompletableFuture<RemoteReference> root = broker.rootObject();
        peer.receive();

        peer.channel.close();
        peer.runTasks();

        assertThat(root).isCompletedExceptionally();
        assertThat(root.handle((r, t) -> t).join())
                .hasRootCauseInstanceOf(ConnectionLostException.class);
        assertThat(broker.isOpen()).isFalse();
        assertThat(broker.closeFuture()).isCompleted();
        assertThat(broker.rootObject()).failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(DeadReferenceException.class);
    }

    // ---- answers to this end's calls (PbFuture.deliverAnswer: the answer kept in the future)

    /** Has the end call the peer's object 1 and returns the call's future and request id. */
    private PbFuture<Object> callThePeer(Broker broker) {
        PbFuture<Object> f = broker.call(1, "echo", new Object[] {"x"}, true);
        FramePeer.Frame call = peer.receiveOne();
        assertThat(call.kind()).isEqualTo(MessageKind.CALL);
        assertThat(call.input().readVarLong(true)).isEqualTo(1);
        return f;
    }

    @Test
    void anAnswerNobodyWaitsForIsDecodedOnTheExecutorAndCompletesTheFuture() {
        Broker broker = peer.connect();
        PbFuture<Object> f = callThePeer(broker);

        peer.sendAnswer(1, List.of("an", "answer"));
        peer.runTasks();

        assertThat(f).isCompletedWithValue(List.of("an", "answer"));
        f.run(); // jpb's task ran already: running it again does nothing
        assertThat(f).isCompletedWithValue(List.of("an", "answer"));
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void anAnswerIsHandedToTheThreadBlockedOnTheFutureWhichDecodesIt() throws Exception {
        Broker broker = peer.connect();
        PbFuture<Object> f = callThePeer(broker);
        List<String> callbackThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        f.thenRun(() -> callbackThreads.add(Thread.currentThread().getName()));
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread waiter = new Thread(() -> {
            try {
                got.complete(f.get());
            } catch (Throwable e) {
                got.completeExceptionally(e);
            }
        }, "the-waiter");
        waiter.start();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> java.util.concurrent.locks.LockSupport.getBlocker(waiter) == f);

        peer.sendAnswer(1, "handed");

        assertThat(got.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("handed");
        assertThat(callbackThreads).containsExactly("the-waiter");
    }

    @Test
    void anAnswerAfterAGetThatTimedOutStillCompletesTheFuture() throws Exception {
        Broker broker = peer.connect();
        PbFuture<Object> f = callThePeer(broker);
        CompletableFuture<Throwable> waited = CompletableFuture.supplyAsync(() -> {
            try {
                f.get(10, java.util.concurrent.TimeUnit.MILLISECONDS);
                return null;
            } catch (Exception e) {
                return e; // the waiter gave up: no hand-off any more
            }
        });
        assertThat(waited.get(5, java.util.concurrent.TimeUnit.SECONDS))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);

        peer.sendAnswer(1, "late");
        peer.runTasks();

        assertThat(f).isCompletedWithValue("late");
    }

    @Test
    void anAnswerThisEndCannotDecodeFailsThatCallOnlyAndLaterCallsWork() {
        Broker broker = peer.connect();
        PbFuture<Object> f = callThePeer(broker);

        peer.send(out -> {
            out.writeByte(MessageKind.ANSWER);
            out.writeVarLong(1, true);
            out.writeVarInt(9999, true); // a type id the peer never defined
        });
        peer.runTasks();

        assertThat(f).isCompletedExceptionally();
        assertThat(f.handle((v, t) -> t).join()).isInstanceOf(dev.jpb.PbException.class);
        PbFuture<Object> next = broker.call(1, "echo", new Object[] {"y"}, true);
        peer.receive();
        peer.sendAnswer(2, "fine");
        peer.runTasks();
        assertThat(next).isCompletedWithValue("fine");
    }

    // ---- releases

    @Test
    void aDecrefGivesBackTheRootsExport() {
        Broker broker = peer.connect();
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();

        peer.send(out -> {
            out.writeByte(MessageKind.DECREF);
            out.writeVarInt(1, true);
            out.writeVarLong(rootId, true);
            out.writeVarInt(1, true);
        });

        assertThat(broker.connection().exportedObjectCount()).isZero();
        assertThat(peer.channel.isOpen()).isTrue();
    }

    @Test
    void repeatedViolationsCloseTheChannel() {
        limits(Limits.builder().maxViolations(2).build());
        peer.connect();

        peer.send(out -> {
            out.writeByte(MessageKind.DECREF);
            out.writeVarInt(1, true);
            out.writeVarLong(5, true); // never exported
            out.writeVarInt(1, true);
        });
        assertThat(peer.channel.isOpen()).isTrue();

        peer.sendAnswer(77, "unasked");
        assertThat(peer.channel.isOpen()).isFalse();
    }

    // ---- frames that close the connection

    @Test
    void aFrameOfUnknownKindClosesTheChannel() {
        Broker broker = peer.connect();

        peer.sendFrame(new byte[] {99});

        assertThat(peer.channel.isOpen()).isFalse();
        assertThat(broker.isOpen()).isFalse();
    }

    @Test
    void anEmptyFrameClosesTheChannel() {
        peer.connect();

        peer.sendFrame(new byte[0]);

        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void aTruncatedHeaderClosesTheChannel() {
        peer.connect();

        peer.sendFrame(new byte[] {MessageKind.CALL, 1}); // request id, then nothing

        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void typesDefinedOutOfOrderCloseTheChannel() {
        peer.connect();

        peer.send(out -> {
            out.writeByte(MessageKind.TYPES);
            out.writeVarInt(17, true);
            out.writeVarInt(1, true);
            WireStrings.write(out, "java.lang.String");
        });

        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void anOversizedLengthPrefixClosesTheChannel() {
        limits(Limits.builder().maxFrameBytes(4096).build());
        peer.connect();

        peer.writeRaw(new byte[] {0, 0, 0x10, 0x01}); // 4097, and not one byte more

        assertThat(peer.channel.isOpen()).isFalse();
    }

    @Test
    void framesWrittenForAPeersMaxFrameBytesAreAcceptedByAPeerWithThatLimit() {
        // One end writes answers for a peer that announced 1024 bytes; every frame it writes is
        // fed to a real end configured with maxFrameBytes 1024, which must take them all.
        Broker writer = peer.connect(1024);
        peer.sendRoot(1);
        long rootId = ((FramePeer.PeerReference) answer(peer.receiveOne(), 1)).id();
        try (FramePeer reader = new FramePeer(new EchoRoot(),
                Limits.builder().maxFrameBytes(1024).build())) {
            Broker readerBroker = reader.connect(1024);

            for (int size = 990; size <= 1030; size++) {
                // the reader calls; the writer's answer to that request goes back to it
                readerBroker.call(1, "echo", new Object[0], true);
                reader.receive();
                long requestId = size - 989;
                peer.sendCall(requestId, rootId, "echo", "y".repeat(size));
                peer.forwardTo(reader);

                assertThat(reader.channel.isOpen())
                        .as("reader still open after the answer echoing %s bytes", size)
                        .isTrue();
            }
        }
        assertThat(writer.isOpen()).isTrue();
    }
}
