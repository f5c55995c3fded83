package dev.jpb.benchmarks;

import dev.jpb.Cacheable;
import dev.jpb.Observer;
import dev.jpb.RemoteCache;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.internal.transport.Transport;
import dev.jpb.server.PbServer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * W9's jpb side: one server and {@code n} clients in this JVM, threads as in {@link JpbFanOut}.
 * Each client holds a copy of the server's one {@link Feed} (a {@link Cacheable});
 * {@link #deliverToAll} has the feed send one update, {@code observe_deliver(payload)}, through
 * each of its {@code n} observers and waits until every copy has applied it.
 */
final class JpbCacheFanOut implements AutoCloseable {
    private static final int CONNECTORS = 16;

    private final int n;
    private final byte[] payload = new byte[JpbFanOut.PAYLOAD_BYTES];
    private final Deliveries deliveries = new Deliveries();
    private final Feed feed = new Feed();
    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private final List<FeedCopy> copies = new CopyOnWriteArrayList<>(); // kept reachable
    private final PbServer server;
    private final EventLoopGroup group;
    private final ExecutorService executor;

    /** The server's cacheable: one update goes to every observer. */
    public static final class Feed extends Cacheable {
        private final List<Observer> observers = new CopyOnWriteArrayList<>();

        @Override
        protected Object stateFor(Observer observer) {
            observers.add(observer);
            return null;
        }

        @Override
        protected void stoppedObserving(Observer observer) {
            observers.remove(observer);
        }

        void publish(byte[] payload) {
            callRemoteAll(observers, "deliver", payload); // one encoding for all connections
        }

        int observerCount() {
            return observers.size();
        }
    }

    /** A client's copy of the feed: counts each update. */
    public static final class FeedCopy extends RemoteCache {
        private final Deliveries deliveries;

        FeedCopy(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        protected void setState(Object state) {
        }

        /** Counts one update. */
        public void observe_deliver(byte[] payload) {
            deliveries.delivered();
        }
    }

    /** The server's root: hands out the feed. */
    public final class FeedRoot extends Root {
        /** Returns the feed: the caller gets its copy. */
        public Feed remote_feed() {
            return feed;
        }
    }

    /**
     * Starts the server, connects {@code n} clients (several at a time); each takes a copy.
     *
     * @throws Exception if a client fails to connect or get its copy within 60 s
     */
    JpbCacheFanOut(int n) throws Exception {
        this.n = n;
        server = PbServer.builder().root(new FeedRoot()).bind("127.0.0.1", 0).build().start();
        group = Transport.newEventLoopGroup(JpbFanOut.SHARED_THREADS, "w9-client-io");
        executor = Executors.newFixedThreadPool(JpbFanOut.SHARED_THREADS,
                new DefaultThreadFactory("w9-client", true));
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS,
                new DefaultThreadFactory("w9-connect", true));
        try {
            List<CompletableFuture<FeedCopy>> copied = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                copied.add(CompletableFuture.supplyAsync(this::connect, connectors)
                        .thenCompose(PbClient::getRootObject)
                        .thenCompose(root -> root.<FeedCopy>callRemote("feed")));
            }
            for (CompletableFuture<FeedCopy> f : copied) {
                copies.add(f.get(60, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            connectors.shutdown();
        }
        if (feed.observerCount() != n) {
            close();
            throw new IllegalStateException(feed.observerCount() + " observers, expected " + n);
        }
    }

    private PbClient connect() {
        PbClient client = PbClient.builder().eventLoopGroup(group).executor(executor)
                .registerCache(Feed.class, () -> new FeedCopy(deliveries))
                .connect("127.0.0.1", server.port());
        clients.add(client);
        return client;
    }

    /**
     * Sends one update to every copy and waits until all have applied it.
     *
     * @throws TimeoutException if some updates have not arrived after 30 s
     */
    void deliverToAll() throws InterruptedException, TimeoutException {
        deliveries.expect(n);
        feed.publish(payload);
        deliveries.await(n);
    }

    /** Closes the clients, their shared threads and the server. */
    @Override
    public void close() {
        clients.parallelStream().forEach(PbClient::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdown();
        server.close();
    }
}
