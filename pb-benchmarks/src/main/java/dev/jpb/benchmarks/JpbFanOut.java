package dev.jpb.benchmarks;

import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

/**
 * W6's jpb side: one server and {@code n} clients in this JVM, threads as {@link JpbClients}
 * sets them up; each client hands the server a {@link Subscriber} callback.
 * {@link #deliverToAll} has the server call {@code callRemoteOnly("deliver", payload)} on
 * every callback and waits until every client has run it.
 */
final class JpbFanOut implements FanOut {
    private final int n;
    private final byte[] payload = new byte[PAYLOAD_BYTES];
    private final Deliveries deliveries = new Deliveries();
    private final Hub hub = new Hub();
    private final JpbClients clients;

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
        clients = new JpbClients(hub, "w6");
        clients.connect(n, b -> b, root -> root.<Integer>callRemote("subscribe",
                new Subscriber(deliveries)));
        if (hub.subscriberCount() != n) {
            clients.close();
            throw new IllegalStateException(hub.subscriberCount() + " subscribers, expected " + n);
        }
    }

    /**
     * Delivers the payload to every client and waits until all have counted it.
     *
     * @throws TimeoutException if some deliveries have not arrived after 30 s
     */
    @Override
    public void deliverToAll() throws InterruptedException, TimeoutException {
        deliveries.expect(n);
        hub.publish(payload);
        deliveries.await(n);
    }

    @Override
    public void close() {
        clients.close();
    }
}
