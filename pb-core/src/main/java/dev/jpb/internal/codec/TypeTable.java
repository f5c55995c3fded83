package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Registration;
import dev.jpb.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's type names: the ids we gave the classes we sent, and the ids the peer gave
 * the classes it sends. Ids start at {@link #FIRST_ID} and grow by one per new class.
 *
 * <p>The peer may define at most {@code maxInbound} names of at most {@code maxNameLength}
 * chars ({@link Limits#maxPeerTypes()}, {@link Limits#maxTypeNameLength()}). A name not allowed
 * here is kept only abbreviated, for the error that names it when a value uses it.
 *
 * <p>Outbound state is touched only by the thread encoding for the connection (its event loop),
 * so no locking. Inbound definitions are added by one thread (the event loop, in arrival order)
 * and read by any thread decoding for the connection, several at once: the names are published
 * through volatile fields, and each decoding thread's cache of registrations is its own.
 */
public final class TypeTable {
    /** The first id a named type gets; smaller ids are fixed by the protocol. */
    public static final int FIRST_ID = 16;
    /** How much of a forbidden name is kept for error messages. */
    static final int KEPT_NAME_CHARS = 200;

    private final Map<Class<?>, Integer> outbound = new IdentityHashMap<>();
    private final List<String> pendingDefinitions = new ArrayList<>(2);
    // Class, or String for a forbidden name. Written by the defining thread only: the array,
    // then the count; readers read the count first (both volatile).
    private volatile Object[] inbound = new Object[8];
    private volatile int inboundCount;
    private final int maxInbound;
    private final int maxNameLength;
    private Class<?> lastOutboundType; // memo of outboundId's last answer
    private int lastOutboundId;
    // Decoding caches, one per decoding thread (see inboundRegistration): a few, since one
    // connection's work moves between the executor's threads, which must not evict each other
    // at every turn. Slots are read and replaced racily: a cache is immutable but for its
    // entries, which only its owner touches, and a lost replacement is only a miss.
    private static final int REGISTRATION_CACHES = 4;
    private final RegistrationCache[] registrations = new RegistrationCache[REGISTRATION_CACHES];
    private int nextVictim; // racy round robin over the slots: any slot will do
    private TypeUse recording; // the encoding thread: records the ids outboundId answers

    /**
     * Creates a table accepting at most {@code maxInbound} type definitions from the peer, of
     * names no longer than the default {@link Limits#maxTypeNameLength()}.
     */
    public TypeTable(int maxInbound) {
        this(maxInbound, Limits.defaults().maxTypeNameLength());
    }

    /**
     * Creates a table accepting at most {@code maxInbound} type definitions from the peer, of
     * names at most {@code maxNameLength} chars long.
     */
    public TypeTable(int maxInbound, int maxNameLength) {
        this.maxInbound = maxInbound;
        this.maxNameLength = maxNameLength;
    }

    /** Creates a table within {@code limits}' maxPeerTypes and maxTypeNameLength. */
    public TypeTable(Limits limits) {
        this(limits.maxPeerTypes(), limits.maxTypeNameLength());
    }

    int outboundId(Class<?> type) {
        if (type == lastOutboundType) {
            if (recording != null) {
                recording.add(type, lastOutboundId);
            }
            return lastOutboundId;
        }
        Integer id = outbound.get(type);
        int result;
        if (id != null) {
            result = id;
        } else {
            result = FIRST_ID + outbound.size();
            outbound.put(type, result);
            pendingDefinitions.add(type.getName());
        }
        lastOutboundType = type;
        lastOutboundId = result;
        if (recording != null) {
            recording.add(type, result);
        }
        return result;
    }

    TypeUse recorded() {
        return recording;
    }

    /** Starts (a use) or stops (null) recording the named types outboundId answers. */
    void record(TypeUse use) {
        recording = use;
    }

    /**
     * Returns whether this table gives every type of {@code use} the same id already (defined
     * to the peer, so bytes encoded elsewhere with those ids read the same here); encoding
     * thread.
     */
    public boolean hasOutboundIds(TypeUse use) {
        for (int i = 0; i < use.count(); i++) {
            Integer id = outbound.get(use.type(i));
            if (id == null || id != use.id(i)) {
                return false;
            }
        }
        return pendingDefinitions.isEmpty();
    }

    /**
     * Returns the registration cached for the peer's {@code id} by {@code owner} (the class
     * resolver of the thread decoding), or null. A cache belongs to one owner; another
     * decoding thread replaces it with its own, never reads it.
     */
    Registration inboundRegistration(int id, Object owner) {
        int index = id - FIRST_ID;
        RegistrationCache cache = registrationsOf(owner);
        return cache != null && index >= 0 && index < cache.entries.length
                ? cache.entries[index] : null;
    }

    void cacheInboundRegistration(int id, Object owner, Registration r) {
        int index = id - FIRST_ID;
        RegistrationCache cache = registrationsOf(owner);
        if (cache == null || index >= cache.entries.length) {
            Registration[] entries = new Registration[Math.max(Math.max(8, inboundCount),
                    index + 1)];
            int slot = -1;
            if (cache != null) {
                System.arraycopy(cache.entries, 0, entries, 0, cache.entries.length);
                slot = slotOf(cache);
            }
            if (slot < 0) {
                slot = Math.floorMod(nextVictim++, REGISTRATION_CACHES);
            }
            cache = new RegistrationCache(owner, entries);
            registrations[slot] = cache;
        }
        cache.entries[index] = r;
    }

    private RegistrationCache registrationsOf(Object owner) {
        for (RegistrationCache cache : registrations) {
            if (cache != null && cache.owner == owner) {
                return cache;
            }
        }
        return null;
    }

    private int slotOf(RegistrationCache cache) {
        for (int i = 0; i < REGISTRATION_CACHES; i++) {
            if (registrations[i] == cache) {
                return i;
            }
        }
        return -1;
    }

    /** One decoding thread's registrations by peer id; its array is touched by that thread. */
    private static final class RegistrationCache {
        final Object owner;
        final Registration[] entries;

        RegistrationCache(Object owner, Registration[] entries) {
            this.owner = owner;
            this.entries = entries;
        }
    }

    /** Returns the first id of the definitions drained next; the names follow in order. */
    public int firstPendingId() {
        return FIRST_ID + outbound.size() - pendingDefinitions.size();
    }

    /** Returns the names given ids since the last drain, in id order. */
    public List<String> pendingDefinitions() {
        return pendingDefinitions;
    }

    /** Forgets the pending definitions once written. */
    public void clearPendingDefinitions() {
        pendingDefinitions.clear();
    }

    /**
     * Records the peer's definition of {@code id}.
     *
     * @return {@code null} if accepted, else why the definition is a protocol violation
     */
    public String define(int id, String name, TypeRegistry registry) {
        int count = inboundCount;
        int expected = FIRST_ID + count;
        if (id != expected) {
            return "type id " + id + " defined out of order (expected " + expected + ")";
        }
        if (count >= maxInbound) {
            return "peer defined more than maxPeerTypes (" + maxInbound + ") types; raise"
                    + " Limits.maxPeerTypes on this end if the peer really copies that many";
        }
        if (name.length() > maxNameLength) {
            return "type name of " + name.length() + " chars (" + abbreviate(name, 40)
                    + ") is longer than maxTypeNameLength (" + maxNameLength + "); raise"
                    + " Limits.maxTypeNameLength on this end if a class name really is";
        }
        Class<?> c = registry.lookup(name);
        Object[] names = inbound;
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
        }
        names[count] = c != null ? c : abbreviate(name, KEPT_NAME_CHARS);
        inbound = names;
        inboundCount = count + 1;
        return null;
    }

    // A copy (never a view of the peer's string) of at most about max chars.
    private static String abbreviate(String name, int max) {
        return name.length() <= max ? name
                : name.substring(0, max) + "... (" + name.length() + " chars)";
    }

    /** Returns the class the peer's named {@code id} stands for, or null (unknown, forbidden). */
    public Class<?> inboundClass(int id) {
        return inbound(id) instanceof Class<?> c ? c : null;
    }

    /** Returns the Class for a peer's id, a String naming a forbidden class, or null if unknown. */
    Object inbound(int id) {
        int index = id - FIRST_ID;
        int count = inboundCount;
        return index >= 0 && index < count ? inbound[index] : null;
    }
}
