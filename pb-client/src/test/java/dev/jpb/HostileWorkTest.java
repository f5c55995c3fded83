package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * Small messages that cost a receiver far more than their bytes, sent through raw sockets to a
 * server with one I/O thread, while a well-behaved client on that same thread keeps calling:
 * each hostile message gets its typed error (or the connection closes, where the protocol says
 * so), and every call of the good client is answered within a second meanwhile. Run with a
 * small heap ({@code -Xmx256m}, the {@code hostile} surefire execution), so an allocation the
 * bytes do not justify fails the test.
 */
@Tag("hostile")
@Timeout(value = 90, threadMode = ThreadMode.SEPARATE_THREAD)
class HostileWorkTest {
    private static final int CALL = 1;
    private static final int ANSWER = 2;
    private static final int ERROR = 3;
    private static final int TYPES = 5;
    private static final int ROOT = 6;
    private static final int REFERENCE = 1;
    private static final int LIST = 3;
    private static final int SET = 4;
    private static final int MAP = 5;
    private static final int NEW = 1; // reference marker: a new object
    private static final int MAX_IMPORTS = 1_000;

    public static class Echo extends Root {
        public Object remote_echo(Object o) {
            return o;
        }

        public int remote_size(java.util.List<?> list) {
            return list.size();
        }
    }

    private Loopback lo;
    private RemoteReference good;
    private ExecutorService prober;

    @BeforeEach
    void start() throws Exception {
        // every connection on one I/O thread; the default limits but for imported references
        lo = new Loopback(new Echo(), b -> b.ioThreads(1)
                .limits(Limits.builder().maxImportedReferences(MAX_IMPORTS).build()));
        good = get(lo.client().getRootObject());
        prober = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws Exception {
        prober.shutdownNow();
        assertThat(get(good.<String>callRemote("echo", "still fine"))).isEqualTo("still fine");
        lo.close();
    }

    // ---- 1. work: shared references and colliding hash codes

    @Test
    void aSetOfSharedListsSixtyLevelsDeepIsAnsweredWithMaxMessageWork() throws Exception {
        try (RawPeer raw = withRoot()) {
            RawPeer.Body call = echoCall(1).raw(SET, NEW).varint(1);
            sharedLists(call, 60, 1);
            byte[] body = call.build();
            assertThat(body.length).isLessThan(400);

            String error = whileServed(() -> {
                raw.sendFrame(body);
                return text(raw.readFrame(ERROR));
            });

            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("maxMessageWork");
        }
    }

    @Test
    void aMapKeyOfSharedListsIsAnsweredWithMaxMessageWork() throws Exception {
        try (RawPeer raw = withRoot()) {
            RawPeer.Body call = echoCall(1).raw(MAP, NEW).varint(1);
            sharedLists(call, 60, 1);
            byte[] body = call.raw(0).build(); // the entry's value: null

            String error = whileServed(() -> {
                raw.sendFrame(body);
                return text(raw.readFrame(ERROR));
            });

            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("maxMessageWork");
        }
    }

    @Test
    void aSetOfListsWithCollidingHashCodesIsAnsweredWithMaxMessageWork() throws Exception {
        try (RawPeer raw = withRoot()) {
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1)
                    .string("java.lang.Integer").build());
            int n = 30_000; // 4.5 * 10^8 comparisons in a hash table's tree bin
            RawPeer.Body call = echoCall(1).raw(SET, NEW).varint(n);
            for (int k = 0; k < n; k++) { // [k, c - 31k]: every one hashes to 961 + c
                call.raw(LIST, NEW).varint(2).varint(16).varint(zigzag(k))
                        .varint(16).varint(zigzag(1_000_000 - 31 * k));
            }
            byte[] body = call.build();

            String error = whileServed(() -> {
                raw.sendFrame(body);
                return text(raw.readFrame(ERROR));
            });

            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("maxMessageWork");
        }
    }

    // ---- 2. allocation justified by bytes

    @Test
    void nestedListsEachDeclaringTheWholeFrameAreRefusedWithoutAllocating() throws Exception {
        int declared = 2_000_000; // 63 lists of 2 M slots: 500 MiB, were they allocated
        RawPeer.Body header = echoCall(1);
        for (int i = 0; i < 63; i++) {
            header.raw(LIST, NEW).varint(declared);
        }
        byte[] head = header.build();
        try (RawPeer raw = withRoot()) {
            String error = whileServed(() -> {
                // the frame: the 63 headers, then as many bytes as any one count declares
                raw.send(ByteBuffer.allocate(4 + head.length).putInt(head.length + declared)
                        .put(head).array());
                raw.send(new byte[declared]);
                return text(raw.readFrame(ERROR));
            });

            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("maxMessageValues");
        }
    }

    // ---- 3. cheap tokens, expensive objects

    @Test
    void aHundredThousandThreeByteErrorsCostNoStackWalks() throws Exception {
        int n = 100_000;
        try (RawPeer raw = withRoot()) {
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1)
                    .string("dev.jpb.PbError").build());
            RawPeer.Body call = new RawPeer.Body(CALL).varint(1).varint(1).string("size")
                    .varint(1).raw(LIST, NEW).varint(n);
            for (int i = 0; i < n; i++) {
                call.varint(16).raw(NEW, 0x80); // a PbError with a null message
            }
            byte[] body = call.build();

            byte[] answer = whileServed(() -> {
                raw.sendFrame(body);
                return raw.readFrame(ANSWER);
            });

            // request 1 answered: an Integer (16, the server's first named type), n
            assertThat(answer).isEqualTo(new RawPeer.Body(ANSWER).varint(1).varint(16)
                    .varint(zigzag(n)).build());
        }
    }

    @Test
    void importingMoreThanMaxImportedReferencesIsAnsweredWithTheLimit() throws Exception {
        int n = MAX_IMPORTS + 1;
        try (RawPeer raw = withRoot()) {
            RawPeer.Body call = echoCall(1).raw(LIST, NEW).varint(n);
            for (int i = 0; i < n; i++) {
                call.raw(REFERENCE, NEW).varint(1000 + i); // the raw peer's objects
            }
            byte[] body = call.build();

            String error = whileServed(() -> {
                raw.sendFrame(body);
                return text(raw.readFrame(ERROR));
            });

            assertThat(error).contains("dev.jpb.LimitExceededException")
                    .contains("maxImportedReferences (" + MAX_IMPORTS + ")");
        }
    }

    // ---- 4. type names

    @Test
    void aMillionCharTypeNameClosesTheConnectionPromptly() throws Exception {
        byte[] body = new RawPeer.Body(TYPES).varint(16).varint(1)
                .string("[".repeat(1_000_000)).build();
        try (RawPeer raw = withRoot()) {
            boolean closed = whileServed(() -> {
                raw.sendFrame(body);
                return raw.closedByPeer();
            });

            assertThat(closed).isTrue();
        }
    }

    @Test
    void aTypeNameOneCharPastMaxTypeNameLengthClosesTheConnection() throws Exception {
        String longest = "com.acme." + "x".repeat(1024 - 9); // the default limit
        try (RawPeer raw = withRoot()) {
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1).string(longest).build());
            raw.sendFrame(new RawPeer.Body(ROOT).varint(2).build());
            assertThat(raw.readFrame(ANSWER)[1]).isEqualTo((byte) 2);

            raw.sendFrame(new RawPeer.Body(TYPES).varint(17).varint(1)
                    .string(longest + "x").build());

            assertThat(raw.closedByPeer()).isTrue();
        }
    }

    @Test
    void moreArrayDimensionsThanTheJvmAllowsAreAnsweredForbidden() throws Exception {
        try (RawPeer raw = withRoot()) {
            raw.sendFrame(new RawPeer.Body(TYPES).varint(16).varint(1)
                    .string("[".repeat(300) + "I").build());
            raw.sendFrame(echoCall(1).varint(16).raw(NEW, 1).build());

            String error = text(raw.readFrame(ERROR));

            assertThat(error).contains("dev.jpb.ForbiddenTypeException").contains("[[[[");
            raw.sendFrame(new RawPeer.Body(ROOT).varint(2).build());
            assertThat(raw.readFrame(ANSWER)[1]).isEqualTo((byte) 2); // the connection lives
        }
    }

    @Test
    void definingMoreThanMaxPeerTypesClosesTheConnection() throws Exception {
        int n = 4097; // the default limit, plus one
        RawPeer.Body types = new RawPeer.Body(TYPES).varint(16).varint(n);
        for (int i = 0; i < n; i++) {
            types.string("com.acme.Type" + i);
        }
        byte[] body = types.build();
        try (RawPeer raw = withRoot()) {
            boolean closed = whileServed(() -> {
                raw.sendFrame(body);
                return raw.closedByPeer();
            });

            assertThat(closed).isTrue();
        }
    }

    // ---- helpers

    /** A raw peer past the handshake that holds the server's root as object 1. */
    private RawPeer withRoot() throws IOException {
        RawPeer raw = new RawPeer(lo.server.port()).handshake();
        raw.sendFrame(new RawPeer.Body(ROOT).varint(1000).build());
        raw.readFrame(ANSWER);
        return raw;
    }

    /** A CALL of {@code remote_echo} on the root with one argument, to follow. */
    private static RawPeer.Body echoCall(int requestId) {
        return new RawPeer.Body(CALL).varint(requestId).varint(1).string("echo").varint(1);
    }

    /**
     * Appends L0 = [L1, L1], L1 = [L2, L2], ... {@code levels} lists, the second element of each
     * a back-reference to the first; {@code firstId} is the reference id L0 gets.
     */
    private static void sharedLists(RawPeer.Body body, int levels, int firstId) {
        for (int i = 0; i < levels - 1; i++) {
            body.raw(LIST, NEW).varint(2);
        }
        body.raw(LIST, NEW).varint(0);
        for (int i = levels - 2; i >= 0; i--) {
            int below = firstId + i + 1; // the id of L(i+1)
            body.raw(LIST).varint(below + 2); // a back-reference: id + 2
        }
    }

    private static long zigzag(int v) {
        return (v << 1 ^ v >> 31) & 0xFFFFFFFFL;
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }

    /**
     * Runs {@code hostile} while the good client calls the same server (on the same I/O
     * thread) in a loop, and checks that every call was answered within a second.
     */
    private <T> T whileServed(Callable<T> hostile) throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong slowestNanos = new AtomicLong();
        AtomicInteger answered = new AtomicInteger();
        CompletableFuture<Void> probe = CompletableFuture.runAsync(() -> {
            for (int i = 0; !done.get(); i++) {
                long start = System.nanoTime();
                try {
                    assertThat(good.<Integer>callRemote("echo", i).get(1, TimeUnit.SECONDS))
                            .isEqualTo(i);
                } catch (TimeoutException e) {
                    slowestNanos.set(Long.MAX_VALUE);
                    return;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                slowestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                answered.incrementAndGet();
            }
        }, prober);
        // warmed up (the first calls of a JVM are slow for reasons of their own), then measured
        await().atMost(Duration.ofSeconds(20)).until(() -> answered.get() >= 50);
        slowestNanos.set(0);
        int before = answered.get();
        T result;
        try {
            result = hostile.call();
            await().atMost(Duration.ofSeconds(5)).until(() -> answered.get() > before);
        } finally {
            done.set(true);
        }
        probe.get(10, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(slowestNanos.get()))
                .as("the slowest answer to the good client").isLessThan(Duration.ofSeconds(1));
        return result;
    }
}
