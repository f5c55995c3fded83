package dev.jpb.internal.codec;

import dev.jpb.NoSuchObjectException;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.StubRemoteReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference hooks without a broker: exports get ids from 1 up, every export and unexport is
 * recorded, and imported ids become {@link FakeRemoteReference}s (one per id).
 */
final class FakeReferenceHooks implements ReferenceHooks {
    final Map<Referenceable, Long> ids = new IdentityHashMap<>();
    final Map<Long, Referenceable> objects = new HashMap<>();
    final List<Long> exported = new ArrayList<>();
    final List<Long> unexported = new ArrayList<>();
    final Map<Long, FakeRemoteReference> imported = new HashMap<>();
    final List<Long> unimported = new ArrayList<>();
    private long nextId = 1;

    @Override
    public long export(Referenceable object) {
        long id = ids.computeIfAbsent(object, o -> nextId++);
        objects.put(id, object);
        exported.add(id);
        return id;
    }

    @Override
    public void unexport(long id) {
        unexported.add(id);
    }

    @Override
    public long remoteIdOf(RemoteReference reference) {
        if (!(reference instanceof FakeRemoteReference fake) || fake.hooks != this) {
            throw new PbException("not a reference from this connection: " + reference);
        }
        return fake.id;
    }

    @Override
    public RemoteReference importReference(long id) {
        return imported.computeIfAbsent(id, i -> new FakeRemoteReference(this, i));
    }

    @Override
    public void unimport(long id) {
        unimported.add(id);
    }

    @Override
    public Referenceable exportedObject(long id) {
        Referenceable object = objects.get(id);
        if (object == null) {
            throw new NoSuchObjectException("no object " + id);
        }
        return object;
    }

    /** A proxy that only knows its id; calling through it is not this test's business. */
    static final class FakeRemoteReference extends StubRemoteReference {
        final FakeReferenceHooks hooks;
        final long id;

        FakeRemoteReference(FakeReferenceHooks hooks, long id) {
            this.hooks = hooks;
            this.id = id;
        }

        @Override
        public String toString() {
            return "FakeRemoteReference[" + id + "]";
        }
    }
}
