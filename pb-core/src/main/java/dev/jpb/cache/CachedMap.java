package dev.jpb.cache;

import dev.jpb.RemoteCache;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The receiving side's copy of a {@link CacheableMap}: read-only, kept up to date by its owner.
 * {@link Listener}s hear of each change after it is applied (and counted in {@link
 * #version()}), on the thread applying the connection's updates, in order. Thread-safe for
 * reading.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CachedMap<K, V> extends RemoteCache {
    private final Map<K, V> map = new LinkedHashMap<>(); // guarded by this
    private final Changes<Listener<K, V>, Change<K, V>> changes =
            new Changes<>(this, Listener::changed);

    /** Creates an empty copy (jpb does, then gives it its state). */
    public CachedMap() {
        addChangeListener((copy, update, v) -> changes.tell());
    }

    /**
     * Returns the value of {@code key}, or null.
     *
     * @param key the key
     * @return the value of {@code key}, or null
     */
    public synchronized V get(Object key) {
        return map.get(key);
    }

    /**
     * Returns the number of entries.
     *
     * @return the number of entries
     */
    public synchronized int size() {
        return map.size();
    }

    /**
     * Returns a copy of the entries now, in the owner's insertion order.
     *
     * @return a copy of the entries now, in the owner's insertion order
     */
    public synchronized Map<K, V> snapshot() {
        return new LinkedHashMap<>(map);
    }

    /**
     * Adds a listener told of each change.
     *
     * @param listener the listener
     */
    public void addListener(Listener<K, V> listener) {
        changes.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(Listener<K, V> listener) {
        changes.removeListener(listener);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected synchronized void setState(Object state) {
        List<Object> s = (List<Object>) state;
        startVersion((Long) s.get(0));
        map.putAll((Map<K, V>) s.get(1));
    }

    /**
     * Applies the owner's put. Called by jpb.
     *
     * @param version the owner's version with this change
     * @param key the key
     * @param value the value
     */
    @SuppressWarnings("unchecked")
    public void observe_put(long version, Object key, Object value) {
        V old;
        synchronized (this) {
            changes.check(version, version());
            old = map.put((K) key, (V) value);
        }
        changes.applied(new Change<>(Change.Kind.PUT, (K) key, old, (V) value, version));
    }

    /**
     * Applies the owner's remove. Called by jpb.
     *
     * @param version the owner's version with this change
     * @param key the key
     */
    @SuppressWarnings("unchecked")
    public void observe_remove(long version, Object key) {
        V old;
        synchronized (this) {
            changes.check(version, version());
            old = map.remove(key);
        }
        changes.applied(new Change<>(Change.Kind.REMOVE, (K) key, old, null, version));
    }

    /**
     * Applies the owner's clear. Called by jpb.
     *
     * @param version the owner's version with this change
     */
    public void observe_clear(long version) {
        synchronized (this) {
            changes.check(version, version());
            map.clear();
        }
        changes.applied(new Change<>(Change.Kind.CLEAR, null, null, null, version));
    }

    /**
     * Told of each change of a {@link CachedMap}.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     */
    @FunctionalInterface
    public interface Listener<K, V> {
        /**
         * Runs after {@code change} was applied.
         *
         * @param change the change applied
         */
        void changed(Change<K, V> change);
    }

    /**
     * One change of the map.
     *
     * @param kind what happened
     * @param key the key (null for CLEAR)
     * @param oldValue the value before (null if none)
     * @param newValue the value after (null for REMOVE and CLEAR)
     * @param version the owner's version with this change
     * @param <K> the key type
     * @param <V> the value type
     */
    public record Change<K, V>(Kind kind, K key, V oldValue, V newValue, long version) {
        /** What a change did. */
        public enum Kind {
            /** A key was set. */
            PUT,
            /** A key was removed. */
            REMOVE,
            /** All keys were removed. */
            CLEAR
        }
    }
}
