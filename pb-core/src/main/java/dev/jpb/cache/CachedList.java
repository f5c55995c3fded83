package dev.jpb.cache;

import dev.jpb.RemoteCache;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiving side's copy of a {@link CacheableList}: read-only, kept up to date by its
 * owner. {@link Listener}s hear of each change after it is applied (and counted in {@link
 * #version()}), on the thread applying the connection's updates, in order. Thread-safe for
 * reading.
 *
 * @param <E> the element type
 */
public final class CachedList<E> extends RemoteCache {
    private final List<E> list = new ArrayList<>(); // guarded by this
    private final Changes<Listener<E>, Change<E>> changes =
            new Changes<>(this, Listener::changed);

    /** Creates an empty copy (jpb does, then gives it its state). */
    public CachedList() {
        addChangeListener((copy, update, v) -> changes.tell());
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
     * Returns a copy of the elements now.
     *
     * @return a copy of the elements now
     */
    public synchronized List<E> snapshot() {
        return new ArrayList<>(list);
    }

    /**
     * Adds a listener told of each change.
     *
     * @param listener the listener
     */
    public void addListener(Listener<E> listener) {
        changes.addListener(listener);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener
     */
    public void removeListener(Listener<E> listener) {
        changes.removeListener(listener);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected synchronized void setState(Object state) {
        List<Object> s = (List<Object>) state;
        startVersion((Long) s.get(0));
        list.addAll((List<E>) s.get(1));
    }

    /**
     * Applies the owner's insertion. Called by jpb.
     *
     * @param version the owner's version with this change
     * @param index the position
     * @param element the element
     */
    @SuppressWarnings("unchecked")
    public void observe_add(long version, int index, Object element) {
        synchronized (this) {
            changes.check(version, version());
            list.add(index, (E) element);
        }
        changes.applied(new Change<>(Change.Kind.ADD, index, null, (E) element, version));
    }

    /**
     * Applies the owner's replacement. Called by jpb.
     *
     * @param version the owner's version with this change
     * @param index the position
     * @param element the element
     */
    @SuppressWarnings("unchecked")
    public void observe_set(long version, int index, Object element) {
        E old;
        synchronized (this) {
            changes.check(version, version());
            old = list.set(index, (E) element);
        }
        changes.applied(new Change<>(Change.Kind.SET, index, old, (E) element, version));
    }

    /**
     * Applies the owner's removal. Called by jpb.
     *
     * @param version the owner's version with this change
     * @param index the position
     */
    public void observe_remove(long version, int index) {
        E old;
        synchronized (this) {
            changes.check(version, version());
            old = list.remove(index);
        }
        changes.applied(new Change<>(Change.Kind.REMOVE, index, old, null, version));
    }

    /**
     * Applies the owner's clear. Called by jpb.
     *
     * @param version the owner's version with this change
     */
    public void observe_clear(long version) {
        synchronized (this) {
            changes.check(version, version());
            list.clear();
        }
        changes.applied(new Change<>(Change.Kind.CLEAR, -1, null, null, version));
    }

    /**
     * Told of each change of a {@link CachedList}.
     *
     * @param <E> the type of the elements
     */
    @FunctionalInterface
    public interface Listener<E> {
        /**
         * Runs after {@code change} was applied.
         *
         * @param change the change applied
         */
        void changed(Change<E> change);
    }

    /**
     * One change of the list.
     *
     * @param kind what happened
     * @param index the position (-1 for CLEAR)
     * @param oldElement the element before (null for ADD and CLEAR)
     * @param newElement the element after (null for REMOVE and CLEAR)
     * @param version the owner's version with this change
     * @param <E> the element type
     */
    public record Change<E>(Kind kind, int index, E oldElement, E newElement, long version) {
        /** What a change did. */
        public enum Kind {
            /** An element was inserted. */
            ADD,
            /** An element was replaced. */
            SET,
            /** An element was removed. */
            REMOVE,
            /** All elements were removed. */
            CLEAR
        }
    }
}
