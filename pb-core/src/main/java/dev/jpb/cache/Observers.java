package dev.jpb.cache;

import dev.jpb.Observer;
import dev.jpb.internal.cache.SharedUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The owner's side that {@link CacheableMap} and {@link CacheableList} share: the version
 * counter, the observers holding a copy, the fan-out of each change and the state a new copy
 * starts from. Guarded by the collection's monitor: every method runs holding it.
 */
final class Observers {
    private final Set<Observer> observers = new LinkedHashSet<>();
    private long version;

    long version() {
        return version;
    }

    int count() {
        return observers.size();
    }

    /** Counts one change and sends it to every copy, the new version first. */
    void fanOut(String update, Object... args) {
        version++;
        Object[] withVersion = new Object[args.length + 1];
        withVersion[0] = version;
        System.arraycopy(args, 0, withVersion, 1, args.length);
        SharedUpdate.send(observers, update, withVersion); // encoded once where it can
    }

    /** Adds {@code observer}; returns the state of its copy: [version, contents]. */
    List<Object> stateFor(Observer observer, Object contents) {
        observers.add(observer);
        return new ArrayList<>(Arrays.asList(version, contents));
    }

    void stoppedObserving(Observer observer) {
        observers.remove(observer);
    }
}
