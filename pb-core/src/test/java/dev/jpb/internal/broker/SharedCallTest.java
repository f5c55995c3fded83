package dev.jpb.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.esotericsoftware.kryo.io.Input;
import dev.jpb.LimitExceededException;
import dev.jpb.Limits;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.wire.MessageKind;
import dev.jpb.internal.wire.WireStrings;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SharedCall}: one call to many connections, its arguments encoded once between them
 * where the connections' type ids agree. Each connection is a real end on an embedded channel,
 * its peer played by {@link FramePeer}, which decodes what the end wrote with a codec of its own.
 */
@Timeout(10)
class SharedCallTest {
    // one server's connections: one config, so one codec (an encoding is shared within one codec)
    private final BrokerConfig server = BrokerConfig.of(List.of(), Limits.defaults(), Runnable::run,
            new Root() { }, false, java.time.Duration.ofSeconds(10));
    private final FramePeer a = new FramePeer(server);
    private final FramePeer b = new FramePeer(server);

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** The CALL frame's fields, its argument bytes as written and as the peer decodes them. */
    private record Call(long requestId, long targetId, String method, byte[] argBytes,
            List<Object> args) {
    }

    private static Call call(FramePeer peer, FramePeer.Frame frame) {
        assertThat(frame.kind()).isEqualTo(MessageKind.CALL);
        Input in = frame.input();
        long requestId = in.readVarLong(true);
        long targetId = in.readVarLong(true);
        String method = WireStrings.read(in);
        int argc = in.readVarInt(true);
        int start = in.position();
        List<Object> args = Arrays.asList(peer.values(in, argc));
        assertThat(in.position()).as("the whole frame is read").isEqualTo(in.limit());
        return new Call(requestId, targetId, method,
                Arrays.copyOfRange(frame.body(), start, in.limit()), args);
    }

    /** Connects {@code peer}'s end and gives it a reference to the peer's object {@code id}. */
    private static RemoteReference referenceTo(FramePeer peer, int id) throws Exception {
        Broker broker = peer.connect();
        CompletableFuture<RemoteReference> root = broker.rootObject();
        long requestId = peer.receiveOne().input().readVarLong(true);
        peer.sendReferenceAnswer(requestId, id);
        return root.get();
    }

    /**
     * Has the end send a one-way call of {@code args} first, so their types have ids on its
     * connection (a shared encoding is kept only once no new type is defined by it).
     */
    private static void defineTypes(FramePeer peer, RemoteReference ref, Object... args) {
        ref.callRemoteOnly("defineTypes", args);
        peer.receive();
    }

    @Test
    void everyConnectionGetsTheCallAndTheSecondWritesTheFirstsBytes() throws Exception {
        RemoteReference toA = referenceTo(a, 12);
        RemoteReference toB = referenceTo(b, 13);
        UUID id = UUID.randomUUID();
        defineTypes(a, toA, "s", 0, id);
        defineTypes(b, toB, "s", 0, id);
        SharedCall event = SharedCall.of("event", "hello", List.of(1, 2), id);

        assertThat(event.sendOnly(toA)).isTrue();
        assertThat(event.sendOnly(toB)).isTrue();

        Call atA = call(a, a.receiveOne());
        Call atB = call(b, b.receiveOne());
        assertThat(atA).extracting(Call::requestId, Call::targetId, Call::method)
                .containsExactly(0L, 12L, "event");
        assertThat(atB).extracting(Call::requestId, Call::targetId, Call::method)
                .containsExactly(0L, 13L, "event");
        assertThat(atA.args()).containsExactly("hello", List.of(1, 2), id);
        assertThat(atB.args()).isEqualTo(atA.args());
        assertThat(atB.argBytes()).as("the same type ids: the same bytes").isEqualTo(
                atA.argBytes());
    }

    @Test
    void aConnectionWhoseTypeIdsDifferEncodesTheArgumentsItself() throws Exception {
        RemoteReference toA = referenceTo(a, 12);
        RemoteReference toB = referenceTo(b, 13);
        Object[] args = {List.of(1, 2), UUID.randomUUID(), new java.math.BigDecimal("1.5")};
        defineTypes(a, toA, args);
        // b's end first sends other types, so the event's types get other ids there
        defineTypes(b, toB, Map.of("k", 1L), new java.math.BigInteger("5"));
        defineTypes(b, toB, args);
        SharedCall event = SharedCall.of("event", args);

        event.sendOnly(toA);
        event.sendOnly(toB);

        Call atA = call(a, a.receiveOne());
        Call atB = call(b, b.receiveOne());
        assertThat(atB.args()).as("b's peer decodes with b's ids").isEqualTo(atA.args());
        assertThat(atB.argBytes()).isNotEqualTo(atA.argBytes());
    }

    @Test
    void sendReturnsEachConnectionsOwnAnswer() throws Exception {
        RemoteReference toA = referenceTo(a, 12);
        RemoteReference toB = referenceTo(b, 13);
        SharedCall question = SharedCall.of("ask", "what?");

        CompletableFuture<Object> fromA = question.send(toA);
        CompletableFuture<Object> fromB = question.send(toB);
        Call atA = call(a, a.receiveOne());
        Call atB = call(b, b.receiveOne());
        assertThat(atA.requestId()).isPositive();
        a.sendAnswer(atA.requestId(), "from a");
        b.sendAnswer(atB.requestId(), "from b");
        a.runTasks();
        b.runTasks();

        assertThat(fromA.get()).isEqualTo("from a");
        assertThat(fromB.get()).isEqualTo("from b");
    }

    @Test
    void aReleasedReferenceOrAClosedConnectionIsNotSentTo() throws Exception {
        RemoteReference toA = referenceTo(a, 12);
        RemoteReference toB = referenceTo(b, 13);
        SharedCall event = SharedCall.of("event", "x");

        toA.release();
        a.receive(); // the DECREF
        b.channel.close();
        b.runTasks();

        assertThat(event.sendOnly(toA)).isFalse();
        assertThat(event.sendOnly(toB)).isFalse();
        assertThat(a.receive()).isEmpty();
        assertThat(event.send(toB)).failsWithin(java.time.Duration.ofSeconds(5))
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(dev.jpb.PbException.class);
    }

    @Test
    void aCallLargerThanThePeersFrameLimitFailsWithLimitExceededAndTheConnectionStays()
            throws Exception {
        a.close();
        FramePeer small = new FramePeer(new Root() { },
                Limits.builder().maxFrameBytes(1024).build());
        try (small) {
            Broker broker = small.connect(1024);
            CompletableFuture<RemoteReference> root = broker.rootObject();
            long requestId = small.receiveOne().input().readVarLong(true);
            small.sendReferenceAnswer(requestId, 12);
            RemoteReference ref = root.get();

            CompletableFuture<Object> big = SharedCall.of("event", "y".repeat(5000)).send(ref);
            small.runTasks();

            assertThat(big).failsWithin(java.time.Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(LimitExceededException.class)
                    .withMessageContaining("maxFrameBytes");
            assertThat(small.channel.isOpen()).isTrue();
            assertThat(SharedCall.of("event", "small").sendOnly(ref)).isTrue();
            assertThat(call(small, small.receiveOne()).args()).containsExactly("small");
        }
    }
}
