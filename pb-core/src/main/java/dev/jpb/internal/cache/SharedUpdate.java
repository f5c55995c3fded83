package dev.jpb.internal.cache;

import static java.util.Objects.requireNonNull;

import dev.jpb.Observer;
import dev.jpb.internal.codec.TypeUse;

/**
 * One update sent to many observers ({@code Cacheable.callRemoteAll}): the connections encode
 * its arguments once between them where they can. The first connection to encode them keeps
 * the bytes with the type ids it used; a connection whose type table gives those types the
 * same ids writes the bytes as they are, any other (or an update naming references or copies,
 * whose ids belong to one connection, or a connection of another end with its own codec)
 * encodes them itself. Thread-safe.
 */
public final class SharedUpdate {
    private static final Object[] NO_ARGS = new Object[0];

    final String method;
    final Object[] args;
    private volatile Encoding encoding; // the first reusable encoding, or null

    private SharedUpdate(String method, Object[] args) {
        this.method = method;
        this.args = args;
    }

    /**
     * Sends {@code method(args)} to every observer, in iteration order: as {@link
     * Observer#callRemote} on each, encoding the arguments once where the connections allow,
     * and starting one writing task per event loop, not one per connection ({@link
     * DrainBatch}).
     */
    public static void send(Iterable<? extends Observer> observers, String method,
            Object... args) {
        requireNonNull(observers, "observers");
        requireNonNull(method, "name");
        SharedUpdate update = null;
        DrainBatch drains = null;
        try {
            for (Observer o : observers) {
                if (o instanceof CacheExport e) {
                    if (update == null) {
                        update = new SharedUpdate(method, args == null ? NO_ARGS : args);
                        drains = DrainBatch.take();
                    }
                    e.callRemote(update, drains);
                } else {
                    o.callRemote(method, args);
                }
            }
        } finally {
            if (drains != null) {
                drains.run(); // outboxes marked drain-scheduled wait for it, even on a throw
                drains.giveBack();
            }
        }
    }

    Encoding encoding() {
        return encoding;
    }

    void encoded(Encoding e) {
        if (encoding == null) {
            encoding = e; // a race only replaces one valid encoding by another
        }
    }

    /**
     * Encoded arguments, the codec that wrote them (an end's registrations decide how a type is
     * written) and the type ids they use; read-only once published.
     */
    record Encoding(byte[] bytes, Object codec, TypeUse types) {
    }
}
