package dev.jpb.router;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A subscription made by {@link RouterClient}; {@link #close()} unsubscribes. */
public final class Subscription implements AutoCloseable {
    private final long id;
    private final String topic;
    private final Supplier<CompletableFuture<Void>> unsubscribe;

    Subscription(long id, String topic, Supplier<CompletableFuture<Void>> unsubscribe) {
        this.id = id;
        this.topic = topic;
        this.unsubscribe = unsubscribe;
    }

    /** {@return the router's subscription id (shared by every subscriber of the same topic)} */
    public long id() {
        return id;
    }

    /** {@return the topic or pattern subscribed to} */
    public String topic() {
        return topic;
    }

    /**
     * Unsubscribes; the future completes when the router confirmed.
     *
     * @return a future completed when the router confirmed the unsubscription
     */
    public CompletableFuture<Void> unsubscribe() {
        return unsubscribe.get();
    }

    /** Unsubscribes without waiting for the router. */
    @Override
    public void close() {
        unsubscribe();
    }
}
