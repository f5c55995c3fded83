package dev.jpb.internal.codec;

import dev.jpb.Limits;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.internal.proxy.TypedProxies;
import java.util.Arrays;

/**
 * One connection's side of the codec: its type table and its reference hooks, plus the exports
 * made by the message being encoded, undone if that message is never sent. Used only by the
 * thread encoding or decoding for the connection.
 */
public final class CodecSession {
    private final TypeTable types;
    private final ReferenceHooks hooks;
    private final int maxMessageValues;
    private final long maxMessageWork;
    private long[] exported = new long[4];
    private int exportedCount;
    private int referencesWritten; // REFERENCE, YOURS or CACHE ids written while recording
    // The references (not cacheables) exported by the message being encoded, and by the last
    // one written whole: a CALL keeps them, to give them back if the peer could not read it.
    private long[] references = new long[4];
    private int referenceCount;
    private int committedReferences;

    /** Creates the session of one connection under the default limits. */
    public CodecSession(TypeTable types, ReferenceHooks hooks) {
        this(types, hooks, Limits.defaults());
    }

    /**
     * Creates the session of one connection, decoding within {@code limits}'
     * {@link Limits#maxMessageValues()} and {@link Limits#maxMessageWork()}.
     */
    public CodecSession(TypeTable types, ReferenceHooks hooks, Limits limits) {
        this.types = types;
        this.hooks = hooks;
        this.maxMessageValues = limits.maxMessageValues();
        this.maxMessageWork = limits.maxMessageWork();
    }

    int maxMessageValues() {
        return maxMessageValues;
    }

    long maxMessageWork() {
        return maxMessageWork;
    }

    /** Returns the connection's type table. */
    public TypeTable types() {
        return types;
    }

    long export(Referenceable object) {
        referencesWritten++;
        long id = hooks.export(object);
        if (exportedCount == exported.length) {
            exported = Arrays.copyOf(exported, exportedCount * 2);
        }
        exported[exportedCount++] = id;
        if (referenceCount == references.length) {
            references = Arrays.copyOf(references, referenceCount * 2);
        }
        references[referenceCount++] = id;
        return id;
    }

    /**
     * Returns the ids of the references the last message written whole exported, one per send
     * (null if none), and forgets them; call right after {@link ValueCodec#write}.
     */
    public long[] takeCommittedReferences() {
        int n = committedReferences;
        committedReferences = 0;
        return n == 0 ? null : Arrays.copyOf(references, n);
    }

    long exportCache(Object cacheable) {
        referencesWritten++;
        long id = hooks.exportCache(cacheable);
        if (exportedCount == exported.length) {
            exported = Arrays.copyOf(exported, exportedCount * 2);
        }
        exported[exportedCount++] = id;
        return id;
    }

    Object importCache(long id) {
        return hooks.importCache(id);
    }

    long idOfCopy(Object copy) {
        referencesWritten++;
        return hooks.idOfCopy(copy);
    }

    long remoteIdOf(Object object) {
        referencesWritten++;
        RemoteReference ref = object instanceof RemoteReference
                ? (RemoteReference) object : TypedProxies.referenceOf(object);
        return hooks.remoteIdOf(ref);
    }

    RemoteReference importReference(long id) {
        return hooks.importReference(id);
    }

    /** Takes back one receipt of {@link #importReference} for a message not received. */
    void unimport(long id) {
        hooks.unimport(id);
    }

    Referenceable exportedObject(long id) {
        return hooks.exportedObject(id);
    }

    /** Starts recording what the next encoding names of this connection (encoding thread). */
    public void startRecording() {
        referencesWritten = 0;
        types.record(new TypeUse());
    }

    /**
     * Ends the recording; returns the named types the encoding wrote, or null if it wrote
     * anything else that belongs to this connection (a reference, a copy's id).
     */
    public TypeUse stopRecording() {
        TypeUse use = types.recorded();
        types.record(null);
        return referencesWritten == 0 ? use : null;
    }

    void commit() {
        exportedCount = 0;
        committedReferences = referenceCount;
        referenceCount = 0;
    }

    void rollback() {
        for (int i = 0; i < exportedCount; i++) {
            hooks.unexport(exported[i]);
        }
        exportedCount = 0;
        referenceCount = 0;
        committedReferences = 0;
    }
}
