package dev.jpb.internal.cache;

import dev.jpb.Cacheable;
import dev.jpb.Observer;
import dev.jpb.RemoteCache;

/**
 * How jpb reaches the protected and private parts of {@link Cacheable} and {@link RemoteCache}
 * from this package: each class hands an accessor over in its static initializer (as the JDK's
 * shared secrets do). Not API. Thread-safe: written once per class initialization.
 */
public final class CacheSecrets {
    private static volatile Cacheables cacheables;
    private static volatile Copies copies;

    private CacheSecrets() {
    }

    /** What jpb calls on a cacheable. */
    public interface Cacheables {
        /** Calls {@code stateFor}. */
        Object stateFor(Cacheable cacheable, Observer observer);

        /** Calls {@code stoppedObserving}. */
        void stoppedObserving(Cacheable cacheable, Observer observer);
    }

    /** What jpb calls on a copy. */
    public interface Copies {
        /** Ties the copy to its connection's entry. */
        void bind(RemoteCache copy, Object link);

        /** Returns the entry the copy is tied to, or null. */
        Object link(RemoteCache copy);

        /** Calls {@code setState}. */
        void setState(RemoteCache copy, Object state);

        /** Counts one applied update and runs the change listeners. */
        void updated(RemoteCache copy, String update);
    }

    /** Called once by {@link Cacheable}'s static initializer. */
    public static void setCacheables(Cacheables accessor) {
        cacheables = accessor;
    }

    /** Called once by {@link RemoteCache}'s static initializer. */
    public static void setCopies(Copies accessor) {
        copies = accessor;
    }

    static Cacheables cacheables() {
        Cacheables c = cacheables;
        if (c == null) {
            init(Cacheable.class);
            c = cacheables;
        }
        return c;
    }

    static Copies copies() {
        Copies c = copies;
        if (c == null) {
            init(RemoteCache.class);
            c = copies;
        }
        return c;
    }

    private static void init(Class<?> type) {
        try {
            Class.forName(type.getName(), true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Releases the copy tied to {@code link} ({@link RemoteCache#release()}). */
    public static void release(Object link) {
        ((CopyEntry) link).releaseByUser();
    }

    /** Returns whether the copy tied to {@code link} still receives updates. */
    public static boolean isLive(Object link) {
        return ((CopyEntry) link).isLive();
    }
}
