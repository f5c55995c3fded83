package dev.jpb.benchmarks;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
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
 * W6's jpb side: one server and {@code n} clients in this JVM. The clients share one event loop
 * group of two threads and one executor of two threads (as an application with many
 * connections would); each hands the server a {@link Subscriber} callback. {@link #deliverToAll}
 * has the server call {@code callRemoteOnly("deliver", payload)} on every callback and waits
 * until every client has run it.
 */
final class JpbFanOut implements AutoCloseable {
    /** The size of the {@code byte[]} each delivery carries. */
    static final int PAYLOAD_BYTES = 32;
    static final int SHARED_THREADS = 2;
    /** How many clients connect at once during setup. */
    private static final int CONNECTORS = 16;

    private final int n;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private final Deliveries deliveries = new Deliveries();
    private final Hub hub = new Hub();
    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private final PbServer server;
    private final EventLoopGroup group;
    private final ExecutorService executor;

    /** The server's root: keeps the callbacks it is given and fans a payload out to them. */
    public static final class Hub extends Root {
        private final List<RemoteReference> subscribers = new CopyOnWriteArrayList<>();

        /** Adds a callback; returns the number of callbacks. */
        public int remote_subscribe(RemoteReference subscriber) {
            subscribers.add(subscriber);
            return subscribers.size();
        }

        /** Calls {@code deliver(payload)} on every callback, asking for no answer. */
        void publish(byte[] payload) {
            for (RemoteReference s : subscribers) {
                s.callRemoteOnly("deliver", payload);
            }
        }

        int subscriberCount() {
            return subscribers.size();
        }
    }

    /** A client's callback: counts each delivery. */
    public static final class Subscriber extends Referenceable {
        private final Deliveries deliveries;

        Subscriber(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        /** Counts one delivery. */
        public void remote_deliver(byte[] payload) {
            deliveries.delivered();
        }
    }

    /**
     * Starts the server, connects {@code n} clients (several at a time) and subscribes each.
     *
     * @throws Exception if a client fails to connect or subscribe within 60 s
     */
    JpbFanOut(int n) throws Exception {
        this.n = n;
        server = PbServer.builder().root(hub).bind("127.0.0.1", 0).build().start();
        group = Transport.newEventLoopGroup(SHARED_THREADS, "w6-client-io");
        executor = Executors.newFixedThreadPool(SHARED_THREADS,
                new DefaultThreadFactory("w6-client", true));
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS,
                new DefaultThreadFactory("w6-connect", true));
        try {
            List<CompletableFuture<Integer>> subscribed = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                subscribed.add(CompletableFuture.supplyAsync(this::connect, connectors)
                        .thenCompose(PbClient::getRootObject)
                        .thenCompose(root -> root.<Integer>callRemote("subscribe",
                                new Subscriber(deliveries))));
            }
            CompletableFuture.allOf(subscribed.toArray(new CompletableFuture<?>[0]))
                    .get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            connectors.shutdown();
        }
        if (hub.subscriberCount() != n) {
            close();
            throw new IllegalStateException(hub.subscriberCount() + " subscribers, expected " + n);
        }
    }

    private PbClient connect() {
        PbClient client = PbClient.builder().eventLoopGroup(group).executor(executor)
                .connect("127.0.0.1", server.port());
        clients.add(client);
        return client;
    }

    /**
     * Delivers the payload to every client and waits until all have counted it.
     *
     * @throws TimeoutException if some deliveries have not arrived after 30 s
     */
    void deliverToAll() throws InterruptedException, TimeoutException {
        deliveries.expect(n);
        hub.publish(payload);
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
