package dev.jpb.internal.cache;

import static java.util.Objects.requireNonNull;

import com.google.common.collect.ImmutableMap;
import dev.jpb.RemoteCache;
import dev.jpb.cache.CachedList;
import dev.jpb.cache.CachedMap;
import dev.jpb.cache.CacheableList;
import dev.jpb.cache.CacheableMap;
import dev.jpb.cache.StepBarrier;
import dev.jpb.cache.StepView;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One end's copy factories, by the binary class name of the cacheable they copy: what the
 * application registered plus jpb's own collections and step barrier. Immutable.
 */
public final class CacheFactories {
    private static final Map<String, Supplier<? extends RemoteCache>> BUILT_IN = Map.of(
            CacheableMap.class.getName(), CachedMap::new,
            CacheableList.class.getName(), CachedList::new,
            StepBarrier.class.getName(), StepView::new);

    private final ImmutableMap<String, Supplier<? extends RemoteCache>> byName;

    private CacheFactories(ImmutableMap<String, Supplier<? extends RemoteCache>> byName) {
        this.byName = byName;
    }

    /** Returns the built-in factories only. */
    public static CacheFactories builtIn() {
        return of(Map.of());
    }

    /** Returns the built-in factories plus {@code registered} (which win on a clash). */
    public static CacheFactories of(Map<String, Supplier<? extends RemoteCache>> registered) {
        ImmutableMap.Builder<String, Supplier<? extends RemoteCache>> b = ImmutableMap.builder();
        BUILT_IN.forEach((name, f) -> {
            if (!registered.containsKey(name)) {
                b.put(name, f);
            }
        });
        registered.forEach((name, f) -> b.put(requireNonNull(name, "name"),
                requireNonNull(f, "factory")));
        return new CacheFactories(b.build());
    }

    /** Returns the factory for copies of the cacheable class {@code typeName}, or null. */
    public Supplier<? extends RemoteCache> get(String typeName) {
        return byName.get(typeName);
    }
}
