package dev.jpb.examples.notifier;

import static java.util.Objects.requireNonNull;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * The notification service: clients {@code subscribe} a callback object with a
 * {@code remote_notify(Event)} method, the server {@link #publish}es events to all of them, and
 * clients may call back {@code random()}. A subscriber whose connection goes away is dropped.
 * Thread-safe: one notifier serves every connection.
 */
public final class Notifier extends Root {
    private final IntSupplier random;
    private final Set<RemoteReference> subscribers = ConcurrentHashMap.newKeySet();
    // One listener object, so that unsubscribe can take it back.
    private final Consumer<RemoteReference> dropOnDisconnect = subscribers::remove;

    /** Creates a notifier whose {@code random()} answers what {@code random} supplies. */
    public Notifier(IntSupplier random) {
        this.random = requireNonNull(random, "random");
    }

    /**
     * Subscribes {@code subscriber} to every event published from now on.
     *
     * @return false if it was already subscribed
     */
    public boolean remote_subscribe(RemoteReference subscriber) {
        boolean added = subscribers.add(subscriber);
        if (added) {
            subscriber.notifyOnDisconnect(dropOnDisconnect);
        }
        return added;
    }

    /**
     * Unsubscribes {@code subscriber}. The client sends the same object it subscribed, and the
     * server receives the very proxy it already holds, so the set finds it.
     *
     * @return false if it was not subscribed
     */
    public boolean remote_unsubscribe(RemoteReference subscriber) {
        boolean removed = subscribers.remove(subscriber);
        if (removed) {
            subscriber.dontNotifyOnDisconnect(dropOnDisconnect);
        }
        return removed;
    }

    /** Returns a number from the supplier, for a subscriber told about a random event. */
    public int remote_random() {
        return random.getAsInt();
    }

    /**
     * Sends {@code event} to every subscriber (a local method: not callable remotely).
     *
     * @return one future per subscriber, completed with what that subscriber answered (the
     *     line it printed) or failed with why it could not be told
     */
    public List<CompletableFuture<String>> publish(Event event) {
        requireNonNull(event, "event");
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (RemoteReference subscriber : subscribers) {
            answers.add(subscriber.callRemote("notify", event));
        }
        return answers;
    }

    /** Returns how many subscribers there are. */
    public int subscriberCount() {
        return subscribers.size();
    }
}
