package dev.jpb;

import dev.jpb.internal.cache.CacheSecrets;
import dev.jpb.internal.cache.SharedUpdate;

/**
 * An object sent as an observed copy (PB's {@code Cacheable}): the first time it crosses a
 * connection, by argument, return value, inside a copy or a collection, jpb calls
 * {@link #stateFor} once for that connection and the receiver builds its {@link RemoteCache}
 * from that state. Later sends over the same connection reuse that copy (one copy and one
 * {@link Observer} per connection); the copy sent back arrives here as this object. The owner
 * keeps the copy up to date with {@link Observer#callRemote}. When the copy is dropped (the
 * receiver released it, its garbage collector found it unreachable, or the connection was
 * lost) {@link #stoppedObserving} runs once for its observer.
 *
 * <p>The sender registers nothing; the receiver registers a factory for the copies with
 * {@code registerCache(MyCacheable.class, MyCopy::new)} on its builder.
 *
 * <p>{@code stateFor} and {@code stoppedObserving} run on the application's executor, never
 * on an I/O thread; they may run concurrently for different connections, so a subclass that
 * keeps a list of observers guards it (see {@link dev.jpb.cache.CacheableMap} for one that
 * does).
 */
public abstract class Cacheable {
    static {
        CacheSecrets.setCacheables(new CacheSecrets.Cacheables() {
            @Override
            public Object stateFor(Cacheable cacheable, Observer observer) {
                return cacheable.stateFor(observer);
            }

            @Override
            public void stoppedObserving(Cacheable cacheable, Observer observer) {
                cacheable.stoppedObserving(observer);
            }
        });
    }

    /** Creates a cacheable. */
    protected Cacheable() {
    }

    /**
     * Returns the state a new copy starts from, for the connection {@code observer} stands for:
     * a value of allowed types (a registered copy, a collection, a box...). Called once per
     * connection, the first time this object is sent over it, before the message carrying it
     * is written; keep {@code observer} to send that copy updates. Updates sent through
     * {@code observer} from here on reach the copy after this state.
     *
     * @param observer the connection's observer of this object
     * @return the copy's initial state (may be null)
     */
    protected abstract Object stateFor(Observer observer);

    /**
     * Runs once when the copy that {@code observer} updates is gone: released by the receiver,
     * collected by its garbage collector, refused by it (no factory registered), or its
     * connection lost. Drop the observer here. Does nothing by default.
     *
     * @param observer the observer given to {@link #stateFor}
     */
    protected void stoppedObserving(Observer observer) {
    }

    /**
     * Sends one update to every observer of {@code observers}, in iteration order: the same as
     * {@code observer.callRemote(name, args)} on each (one-way, in order per connection), but
     * cheaper for many observers: the arguments are encoded once for all the connections that
     * give their types the same ids, rather than once per observer (arguments that name
     * references or cacheables are still encoded per connection). Don't change the arguments
     * until every copy has them: each connection reads them when it writes the update.
     *
     * @param observers the observers to update (any {@link Observer}s)
     * @param name the method name without the {@code observe_} prefix
     * @param args the arguments, values of allowed types
     */
    protected static void callRemoteAll(Iterable<? extends Observer> observers, String name,
            Object... args) {
        SharedUpdate.send(observers, name, args);
    }
}
