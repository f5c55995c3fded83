package dev.jpb.cache;

import dev.jpb.Cacheable;
import dev.jpb.Observer;
import java.util.ArrayList;
import java.util.List;

/**
 * A list whose every copy stays in sync: the receiver gets a {@link CachedList}, a read-only
 * view that applies each {@link #add}, {@link #set}, {@link #remove(int)} and {@link #clear} in
 * the order they happened here. No registration is needed; elements must be of allowed types.
 * Each change adds one to {@link #version()}. Thread-safe (a monitor).
 *
 * @param <E> the element type
 */
public final class CacheableList<E> extends Cacheable {
    private final List<E> list = new ArrayList<>(); // guarded by this
    private final Observers observers = new Observers(); // guarded by this

    /** Creates an empty list. */
    public CacheableList() {
    }

    /**
     * Appends {@code element} here and in every copy.
     *
     * @param element the element
     */
    public synchronized void add(E element) {
        add(list.size(), element);
    }

    /**
     * Inserts {@code element} at {@code index} here and in every copy.
     *
     * @throws IndexOutOfBoundsException if {@code index} is not in {@code 0..size()}
     * @param index the position
     * @param element the element
     */
    public synchronized void add(int index, E element) {
        list.add(index, element);
        observers.fanOut("add", index, element);
    }

    /**
     * Replaces the element at {@code index} here and in every copy.
     *
     * @return the element replaced
     * @throws IndexOutOfBoundsException if there is no such element
     * @param index the position
     * @param element the element
     */
    public synchronized E set(int index, E element) {
        E old = list.set(index, element);
        observers.fanOut("set", index, element);
        return old;
    }

    /**
     * Removes the element at {@code index} here and in every copy.
     *
     * @return the element removed
     * @throws IndexOutOfBoundsException if there is no such element
     * @param index the position
     */
    public synchronized E remove(int index) {
        E old = list.remove(index);
        observers.fanOut("remove", index);
        return old;
    }

    /** Removes every element here and in every copy. */
    public synchronized void clear() {
        list.clear();
        observers.fanOut("clear");
    }

    /**
     * Returns the element at {@code index}.
     *
     * @param index the position
     * @return the element at {@code index}
     */
    public synchronized E get(int index) {
        return list.get(index);
    }

    /**
     * Returns the number of elements.
     *
     * @return the number of elements
     */
    public synchronized int size() {
        return list.size();
    }

    /**
     * Returns a copy of the elements.
     *
     * @return a copy of the elements
     */
    public synchronized List<E> snapshot() {
        return new ArrayList<>(list);
    }

    /**
     * Returns how many changes this list has had.
     *
     * @return how many changes this list has had
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
        return observers.stateFor(observer, new ArrayList<>(list));
    }

    @Override
    protected synchronized void stoppedObserving(Observer observer) {
        observers.stoppedObserving(observer);
    }
}
