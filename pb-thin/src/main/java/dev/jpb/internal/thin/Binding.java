package dev.jpb.internal.thin;

import dev.jpb.RemoteCache;
import dev.jpb.cache.CachedList;
import dev.jpb.cache.CachedMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.collections.ObservableList;

/**
 * One control property following a copy of a server's cacheable: the items of a list or table
 * following a {@code CachedList} (or a {@code CachedMap}'s values), or a property following one
 * entry of a {@code CachedMap}. It takes the copy's state when made and applies each change
 * after; the copy's updates run on the JavaFX Application Thread in the order the owner made
 * them, so nothing is missed between the two. Confined to that thread.
 */
final class Binding {
    final String path;
    final RemoteCache copy;
    private final Runnable detach;
    private Runnable disposed = () -> { };

    private Binding(String path, RemoteCache copy, Runnable detach) {
        this.path = path;
        this.copy = copy;
        this.detach = detach;
    }

    /** Binds {@code items} to a list's elements, or to a map's values in its order. */
    static Binding items(String path, RemoteCache copy, ObservableList<Object> items) {
        if (copy instanceof CachedList<?> list) {
            return listItems(path, cast(list), items);
        }
        return mapValues(path, cast((CachedMap<?, ?>) copy), items);
    }

    private static Binding listItems(String path, CachedList<Object> list,
            ObservableList<Object> items) {
        items.setAll(list.snapshot());
        CachedList.Listener<Object> l = c -> onFx(() -> {
            switch (c.kind()) {
                case ADD -> items.add(c.index(), c.newElement());
                case SET -> items.set(c.index(), c.newElement());
                case REMOVE -> items.remove(c.index());
                case CLEAR -> items.clear();
                default -> throw new IllegalStateException("unknown change " + c.kind());
            }
        });
        list.addListener(l);
        return new Binding(path, list, () -> list.removeListener(l));
    }

    private static Binding mapValues(String path, CachedMap<Object, Object> map,
            ObservableList<Object> items) {
        Map<Object, Object> now = map.snapshot();
        List<Object> keys = new ArrayList<>(now.keySet()); // the rows' keys, in row order
        items.setAll(now.values());
        CachedMap.Listener<Object, Object> l = c -> onFx(() -> {
            switch (c.kind()) {
                case PUT -> {
                    int i = keys.indexOf(c.key());
                    if (i < 0) {
                        keys.add(c.key());
                        items.add(c.newValue());
                    } else {
                        items.set(i, c.newValue()); // a map keeps a key's place when re-put
                    }
                }
                case REMOVE -> {
                    int i = keys.indexOf(c.key());
                    if (i >= 0) {
                        keys.remove(i);
                        items.remove(i);
                    }
                }
                case CLEAR -> {
                    keys.clear();
                    items.clear();
                }
                default -> throw new IllegalStateException("unknown change " + c.kind());
            }
        });
        map.addListener(l);
        return new Binding(path, map, () -> map.removeListener(l));
    }

    /** Binds a property to one entry of a map ({@code null} while the map has no such key). */
    static Binding entry(String path, CachedMap<?, ?> copy, Object key,
            Consumer<Object> write) {
        CachedMap<Object, Object> map = cast(copy);
        write.accept(map.get(key));
        CachedMap.Listener<Object, Object> l = c -> onFx(() -> {
            if (c.kind() == CachedMap.Change.Kind.CLEAR || Objects.equals(c.key(), key)) {
                write.accept(c.newValue());
            }
        });
        map.addListener(l);
        return new Binding(path, map, () -> map.removeListener(l));
    }

    /** Runs {@code action} once this binding is disposed (the holder lets go of the copy). */
    void whenDisposed(Runnable action) {
        disposed = action;
    }

    /** Stops following the copy, then runs the {@link #whenDisposed} action. */
    void dispose() {
        detach.run();
        disposed.run();
    }

    private static void onFx(Runnable r) {
        // A thin client's copies are updated on its executor, the FX thread; an embedding
        // program with another executor gets the change applied there, still in order.
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object o) {
        return (T) o;
    }
}
