package dev.jpb;

import static dev.jpb.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.jpb.client.PbClient;
import io.netty.util.ResourceLeakDetector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Cacheables end to end: observed copies over real sockets (DESIGN.md, "Cacheable"). */
@Timeout(120)
class CacheableTest {
    /** An owner's board of numbered lines; each new line goes to every copy. */
    public static class Board extends Cacheable {
        final List<String> lines = new ArrayList<>(); // guarded by this
        final List<Observer> observers = new ArrayList<>(); // guarded by this
        final AtomicInteger stateFor = new AtomicInteger();
        final List<Observer> stopped = new CopyOnWriteArrayList<>();
        final List<String> stateForThreads = new CopyOnWriteArrayList<>();

        synchronized void add(String line) {
            lines.add(line);
            for (Observer o : observers) {
                o.callRemote("line", lines.size(), line);
            }
        }

        synchronized int observerCount() {
            return observers.size();
        }

        @Override
        protected synchronized Object stateFor(Observer observer) {
            stateFor.incrementAndGet();
            stateForThreads.add(Thread.currentThread().getName());
            observers.add(observer);
            return new ArrayList<>(lines);
        }

        @Override
        protected synchronized void stoppedObserving(Observer observer) {
            stopped.add(observer);
            observers.remove(observer);
        }
    }

    /** The receiving side's copy of a {@link Board}. */
    public static class BoardCopy extends RemoteCache {
        static final AtomicInteger made = new AtomicInteger();
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger setState = new AtomicInteger();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();

        BoardCopy() {
            made.incrementAndGet();
        }

        @Override
        @SuppressWarnings("unchecked")
        protected void setState(Object state) {
            setState.incrementAndGet();
            lines.addAll((List<String>) state);
        }

        public void observe_line(int number, String text) {
            if (setState.get() != 1) {
                problems.add("update " + number + " before the state");
            }
            if (number != lines.size() + 1) {
                problems.add("update " + number + " after " + lines.size());
            }
            lines.add(text);
            threads.add(Thread.currentThread().getName());
            try {
                // Updates that arrived before a close may still be applied after it: what
                // matters is that they run in their connection's context, open or not.
                if (CallContext.current().connection() == null) {
                    problems.add("update " + number + " without a connection");
                }
            } catch (IllegalStateException e) {
                problems.add("update " + number + " outside its connection's context");
            }
        }
    }

    /** A copy holding the board, to send it inside a copy. */
    public record Holder(String name, Object board) implements Copyable {
    }

    public static class Server extends Root {
        final Board board = new Board();
        final List<Object> received = new CopyOnWriteArrayList<>();

        public Board remote_board() {
            return board;
        }

        public List<Object> remote_boards(int n) {
            List<Object> all = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                all.add(board);
            }
            return all;
        }

        public Holder remote_holder() {
            return new Holder("h", board);
        }

        public boolean remote_isBoard(Object o) {
            return o == board;
        }

        public void remote_publish(int n) {
            for (int i = 0; i < n; i++) {
                board.add("line " + i);
            }
        }

        public void remote_take(Object copy) {
            received.add(copy);
        }

        public int remote_ping() {
            return 1;
        }
    }

    /** A cacheable whose updates are large: to fill the receiver's update queue. */
    public static class Blob extends Cacheable {
        final List<Observer> observers = new CopyOnWriteArrayList<>();

        @Override
        protected Object stateFor(Observer observer) {
            observers.add(observer);
            return null;
        }
    }

    /** A copy of a {@link Blob} whose updates wait until the test lets them run. */
    public static class BlobCopy extends RemoteCache {
        static final CountDownLatch gate = new CountDownLatch(1);
        final List<Integer> chunks = new CopyOnWriteArrayList<>();

        @Override
        protected void setState(Object state) {
        }

        public void observe_chunk(int n, byte[] data) throws InterruptedException {
            gate.await(30, TimeUnit.SECONDS);
            chunks.add(n);
        }
    }

    private static Loopback loopback(Server server) {
        return new Loopback(server, b -> b.registerCache(Board.class, BoardCopy::new),
                Holder.class);
    }

    private static PbClient client(Loopback net) {
        return net.client(b -> b.registerCache(Board.class, BoardCopy::new));
    }

    @Test
    void stateForRunsOncePerConnectionAndEverySendIsTheSameCopy() throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            PbClient client = client(net);
            RemoteReference root = get(client.getRootObject());
            List<CompletableFuture<Object>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(root.callRemote("board"));
            }
            BoardCopy copy = (BoardCopy) get(sends.get(0));
            for (CompletableFuture<Object> f : sends) {
                assertThat(get(f)).isSameAs(copy);
            }
            List<Object> listed = get(root.callRemote("boards", 100));
            assertThat(listed).hasSize(100).allSatisfy(o -> assertThat(o).isSameAs(copy));
            Holder holder = get(root.callRemote("holder"));
            assertThat(holder.board()).isSameAs(copy);
            assertThat(server.board.stateFor).hasValue(1);
            assertThat(copy.setState).hasValue(1);
            // stateFor ran on the executor, not on an I/O thread
            assertThat(server.board.stateForThreads).isNotEmpty()
                    .noneMatch(t -> t.contains("-io-"));

            // sent back, it arrives as the original
            assertThat(get(root.<Boolean>callRemote("isBoard", copy))).isTrue();
            assertThat(get(root.<Boolean>callRemote("isBoard", List.of(copy)))).isFalse();

            // another connection is another copy, another stateFor
            PbClient other = client(net);
            Object second = get(get(other.getRootObject()).callRemote("board"));
            assertThat(second).isNotSameAs(copy);
            assertThat(server.board.stateFor).hasValue(2);
            assertThat(server.board.observerCount()).isEqualTo(2);
        }
        assertThat(server.board.stopped).hasSize(2);
        assertThat(server.board.observerCount()).isZero();
    }

    @Test
    void aCacheableSentAsAnArgumentIsOneCopyOnTheReceiver() throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            PbClient client = client(net);
            RemoteReference root = get(client.getRootObject());
            Board mine = new Board();
            mine.add("from the client");
            List<CompletableFuture<Object>> sends = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                sends.add(root.callRemote("take", mine));
            }
            for (CompletableFuture<Object> f : sends) {
                get(f);
            }
            assertThat(mine.stateFor).hasValue(1);
            assertThat(server.received).hasSize(100);
            BoardCopy copy = (BoardCopy) server.received.get(0);
            assertThat(server.received).allSatisfy(o -> assertThat(o).isSameAs(copy));
            assertThat(copy.lines).containsExactly("from the client");
            mine.add("second");
            await().atMost(Duration.ofSeconds(10)).until(() -> copy.lines.size() == 2);
            assertThat(copy.problems).isEmpty();
        }
    }

    @Test
    void updatesNeverOvertakeTheStateEvenWhileTheOwnerKeepsChanging() throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            server.board.add("first");
            List<BoardCopy> copies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                PbClient client = client(net);
                RemoteReference root = get(client.getRootObject());
                CompletableFuture<BoardCopy> fetch = root.callRemote("board");
                // stateFor runs on the server's executor while these lines are being added
                for (int n = 0; n < 500; n++) {
                    server.board.add("c" + i + "-" + n);
                }
                copies.add(get(fetch));
            }
            int total;
            synchronized (server.board) {
                total = server.board.lines.size();
            }
            for (BoardCopy copy : copies) {
                await().atMost(Duration.ofSeconds(20)).until(() -> copy.lines.size() == total);
                assertThat(copy.problems).isEmpty();
                assertThat(copy.setState).hasValue(1);
                synchronized (server.board) {
                    assertThat(copy.lines).isEqualTo(server.board.lines);
                }
            }
        }
    }

    @Test
    void tenThousandUpdatesReachThreeObserversInOrderAndADisconnectOnlyStopsItsOwn()
            throws Exception {
        Server server = new Server();
        ExecutorService app = Executors.newFixedThreadPool(4, r -> new Thread(r, "app-pool"));
        // 40,000 frames: the paranoid leak detector's stack trace per buffer operation would
        // make this a test of the detector. The same frames' buffers are leak-checked at
        // paranoid by the other tests of this class.
        ResourceLeakDetector.Level level = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        try (Loopback net = loopback(server)) {
            List<BoardCopy> copies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PbClient client = net.client(b -> b.registerCache(Board.class, BoardCopy::new)
                        .executor(app));
                copies.add(get(get(client.getRootObject()).callRemote("board")));
            }
            PbClient leaving = client(net);
            BoardCopy leavingCopy = get(get(leaving.getRootObject()).callRemote("board"));
            CountDownLatch halfway = new CountDownLatch(1);
            leavingCopy.addChangeListener((c, update, version) -> {
                if (version == 5_000) {
                    halfway.countDown();
                }
            });
            assertThat(server.board.observerCount()).isEqualTo(4);
            RemoteReference root = get(net.client().getRootObject());
            CompletableFuture<Object> publishing = root.callRemote("publish", 10_000);
            assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
            leaving.close();
            get(publishing);
            for (BoardCopy copy : copies) {
                await().atMost(Duration.ofSeconds(30)).until(() -> copy.lines.size() == 10_000);
                assertThat(copy.problems).isEmpty();
                assertThat(copy.version()).isEqualTo(10_000);
                assertThat(copy.threads).allMatch("app-pool"::equals);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> server.board.stopped.size() == 1);
            assertThat(server.board.observerCount()).isEqualTo(3);
            assertThat(leavingCopy.problems).isEmpty();
        } finally {
            app.shutdown();
            ResourceLeakDetector.setLevel(level);
        }
        assertThat(server.board.stopped).hasSize(4).doesNotHaveDuplicates();
    }

    @Test
    void updatesWaitingPastTheLimitPauseReadingAndAllArriveInOrder() throws Exception {
        Blob blob = new Blob();
        Server server = new Server() {
            public Blob remote_blob() {
                return blob;
            }
        };
        try (Loopback net = loopback(server)) {
            // updates waiting take at most max(64 KiB, 1 MiB) before reads stop
            PbClient client = net.client(b -> b.registerCache(Blob.class, BlobCopy::new)
                    .limits(Limits.builder().maxFrameBytes(64 * 1024).build()));
            BlobCopy copy = get(get(client.getRootObject()).callRemote("blob"));
            byte[] data = new byte[16 * 1024];
            for (int i = 0; i < 300; i++) { // 4.8 MB, while the first update waits
                blob.observers.get(0).callRemote("chunk", i, data);
            }
            BlobCopy.gate.countDown();
            await().atMost(Duration.ofSeconds(60)).until(() -> copy.chunks.size() == 300);
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                expected.add(i);
            }
            assertThat(copy.chunks).isEqualTo(expected);
            assertThat(get(get(client.getRootObject()).<Integer>callRemote("ping"))).isEqualTo(1);
        }
    }

    @Test
    void aCollectedCopyStopsObservingAndLeavesTheTablesEmpty() throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            PbClient client = client(net);
            RemoteReference root = get(client.getRootObject());
            Connection serverSide = net.server.connections().iterator().next();
            int before = serverSide.exportedObjectCount();
            fetchAndDrop(root);
            assertThat(server.board.stateFor).hasValue(1);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        System.gc();
                        return server.board.stopped.size() == 1;
                    });
            assertThat(server.board.observerCount()).isZero();
            assertThat(serverSide.exportedObjectCount()).isEqualTo(before);
            // updates now go nowhere, and a new send makes a new copy
            server.board.add("after");
            BoardCopy again = get(root.callRemote("board"));
            assertThat(again.lines).containsExactly("after");
            assertThat(server.board.stateFor).hasValue(2);
        }
        assertThat(server.board.stopped).hasSize(2);
    }

    private static void fetchAndDrop(RemoteReference root) throws Exception {
        BoardCopy copy = get(root.callRemote("board"));
        assertThat(copy.isObserved()).isTrue();
    }

    @Test
    void aReleasedCopyStopsObservingAndCannotBeSentBack() throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            PbClient client = client(net);
            RemoteReference root = get(client.getRootObject());
            BoardCopy copy = get(root.callRemote("board"));
            copy.release();
            copy.release();
            assertThat(copy.isObserved()).isFalse();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.board.stopped.size() == 1);
            Throwable thrown = catchThrowable(() -> get(root.callRemote("isBoard", copy)));
            assertThat(thrown).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(DeadReferenceException.class);
            BoardCopy fresh = get(root.callRemote("board"));
            assertThat(fresh).isNotSameAs(copy);
            assertThat(get(root.<Boolean>callRemote("isBoard", fresh))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> server.board.observerCount() == 1);
        }
        assertThat(server.board.stopped).hasSize(2);
    }

    @Test
    void anUnregisteredCacheableIsRefusedAtTheReceiverWhichKeepsTheConnection()
            throws Exception {
        Server server = new Server();
        try (Loopback net = loopback(server)) {
            PbClient client = net.client(); // no registerCache
            RemoteReference root = get(client.getRootObject());
            Connection serverSide = net.server.connections().iterator().next();
            int before = serverSide.exportedObjectCount();
            Throwable thrown = catchThrowable(() -> get(root.callRemote("board")));
            assertThat(thrown).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ForbiddenTypeException.class)
                    .hasMessageContaining(Board.class.getName())
                    .hasMessageContaining("registerCache");
            assertThat(get(root.<Integer>callRemote("ping"))).isEqualTo(1);
            assertThat(client.connection().isOpen()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.board.stopped.size() == 1);
            assertThat(server.board.observerCount()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> serverSide.exportedObjectCount() == before);
        }
    }
}
