package dev.jpb.cache;

import dev.jpb.Cacheable;
import dev.jpb.Observer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map whose every copy stays in sync: send it (return it from a {@code remote_} method, pass
 * it as an argument) and the receiver gets a {@link CachedMap}, a read-only view that applies
 * each {@link #put}, {@link #remove} and {@link #clear} in the order they happened here. No
 * registration is needed on either end; keys and values must be of allowed types. Each change
 * adds one to {@link #version()}, and a copy's {@link CachedMap#version()} reaches the same
 * number once it has seen every change. Thread-safe (a monitor); iteration order is insertion
 * order.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class CacheableMap<K, V> extends Cacheable {
    private final Map<K, V> map = new LinkedHashMap<>(); // guarded by this
    private final Observers observers = new Observers(); // guarded by this

    /** Creates an empty map. */
    public CacheableMap() {
    }

    /**
     * Sets {@code key} to {@code value} here and in every copy.
     *
     * @return the previous value, or null
     * @param key the key
     * @param value the value
     */
    public synchronized V put(K key, V value) {
        V old = map.put(key, value);
        observers.fanOut("put", key, value);
        return old;
    }

    /**
     * Removes {@code key} here and in every copy; does nothing (and counts no change) if absent.
     *
     * @return the removed value, or null
     * @param key the key
     */
    public synchronized V remove(Object key) {
        if (!map.containsKey(key)) {
            return null;
        }
        V old = map.remove(key);
        observers.fanOut("remove", key);
        return old;
    }

    /** Removes every entry here and in every copy. */
    public synchronized void clear() {
        map.clear();
        observers.fanOut("clear");
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
     * Returns a copy of the entries, in insertion order.
     *
     * @return a copy of the entries, in insertion order
     */
    public synchronized Map<K, V> snapshot() {
        return new LinkedHashMap<>(map);
    }

    /**
     * Returns how many changes this map has had.
     *
     * @return how many changes this map has had
     */
    public synchronized long version() {
        return observers.version();
    }

    /**
     * Returns how many connections hold a copy now.
     *
     * @return how many connections hold a copy now
     */
    public synchronized int observerCount() {
        return observers.count();
    }

    @Override
    protected synchronized Object stateFor(Observer observer) {
        return observers.stateFor(observer, new LinkedHashMap<>(map));
    }

    @Override
    protected synchronized void stoppedObserving(Observer observer) {
        observers.stoppedObserving(observer);
    }
}
