package dev.jpb.cache;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving side that {@link CachedMap} and {@link CachedList} share: their listeners, the
 * change just applied (told once the copy's version counts it) and the check that no change was
 * missed. The listener list is thread-safe; the rest runs on the one thread applying updates.
 *
 * @param <L> the listener type
 * @param <C> the change type
 */
final class Changes<L, C> {
    private static final Logger log = LoggerFactory.getLogger(Changes.class);

    private final Object copy; // for the log
    private final BiConsumer<L, C> deliver;
    private final List<L> listeners = new CopyOnWriteArrayList<>();
    private C applied; // the one updating thread: the change to tell

    Changes(Object copy, BiConsumer<L, C> deliver) {
        this.copy = copy;
        this.deliver = deliver;
    }

    void addListener(L listener) {
        listeners.add(requireNonNull(listener, "listener"));
    }

    void removeListener(L listener) {
        listeners.remove(listener);
    }

    /** Warns if change {@code version} does not follow {@code current}: changes were missed. */
    void check(long version, long current) {
        if (version != current + 1) {
            log.warn("{}: change {} arrived after {}: changes were missed", copy, version,
                    current);
        }
    }

    /** Keeps {@code change} to tell once the copy's version counts it. */
    void applied(C change) {
        applied = change;
    }

    /** Tells the listeners of the change applied, if any. */
    void tell() {
        C change = applied;
        applied = null;
        if (change == null) {
            return;
        }
        for (L l : listeners) {
            try {
                deliver.accept(l, change);
            } catch (RuntimeException e) {
                log.error("listener of {} threw", copy, e);
            }
        }
    }
}
