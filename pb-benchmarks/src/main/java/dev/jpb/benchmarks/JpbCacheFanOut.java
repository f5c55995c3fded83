package dev.jpb.benchmarks;

import dev.jpb.Cacheable;
import dev.jpb.NonBlocking;
import dev.jpb.Observer;
import dev.jpb.RemoteCache;
import dev.jpb.Root;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * W9's jpb side: one server and {@code n} clients in this JVM, threads as {@link JpbClients}
 * sets them up (as in {@link JpbFanOut}). Each client holds a copy of the server's one
 * {@link Feed} (a {@link Cacheable}); {@link #deliverToAll} has the feed send one update,
 * {@code observe_deliver(payload)}, through each of its {@code n} observers and waits until
 * every copy has applied it. Made with {@code nonBlocking}, the copies are {@link
 * QuickFeedCopy}s, whose {@code observe_deliver} is {@link NonBlocking}.
 */
final class JpbCacheFanOut implements FanOut {
    private final int n;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private final Deliveries deliveries = new Deliveries();
    private final Feed feed = new Feed();
    private final List<RemoteCache> copies; // kept reachable: a collected copy stops observing
    private final JpbClients clients;

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

    /** A client's copy of the feed whose update may run on the I/O thread: counts it. */
    public static final class QuickFeedCopy extends RemoteCache {
        private final Deliveries deliveries;

        QuickFeedCopy(Deliveries deliveries) {
            this.deliveries = deliveries;
        }

        @Override
        protected void setState(Object state) {
        }

        /** Counts one update. */
        @NonBlocking
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
        this(n, false);
    }

    /**
     * As {@link #JpbCacheFanOut(int)}; {@code nonBlocking}: the copies' update is marked
     * {@link NonBlocking}.
     */
    JpbCacheFanOut(int n, boolean nonBlocking) throws Exception {
        this.n = n;
        clients = new JpbClients(new FeedRoot(), "w9");
        copies = clients.connect(n,
                b -> b.registerCache(Feed.class, nonBlocking
                        ? () -> new QuickFeedCopy(deliveries) : () -> new FeedCopy(deliveries)),
                root -> root.<RemoteCache>callRemote("feed"));
        if (feed.observerCount() != n) {
            clients.close();
            throw new IllegalStateException(feed.observerCount() + " observers, expected " + n);
        }
    }

    /**
     * Sends one update to every copy and waits until all have applied it.
     *
     * @throws TimeoutException if some updates have not arrived after 30 s
     */
    @Override
    public void deliverToAll() throws InterruptedException, TimeoutException {
        deliveries.expect(n);
        feed.publish(payload);
        deliveries.await(n);
    }

    /** Returns how many copies the clients hold (all {@code n} of them, kept reachable). */
    int copyCount() {
        return copies.size();
    }

    @Override
    public void close() {
        clients.close();
    }
}
