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
 * <p>Outbound state is touched only by the thread encoding for the connection, inbound only by
 * the thread decoding for it (both its event loop), so no locking.
 */
public final class TypeTable {
    /** The first id a named type gets; smaller ids are fixed by the protocol. */
    public static final int FIRST_ID = 16;
    /** How much of a forbidden name is kept for error messages. */
    static final int KEPT_NAME_CHARS = 200;

    private final Map<Class<?>, Integer> outbound = new IdentityHashMap<>();
    private final List<String> pendingDefinitions = new ArrayList<>(2);
    private final List<Object> inbound = new ArrayList<>(); // Class, or String for a forbidden name
    private final int maxInbound;
    private final int maxNameLength;
    private Class<?> lastOutboundType; // memo of outboundId's last answer
    private int lastOutboundId;
    private Object registrationsOwner; // decoding cache: see inboundRegistration
    private Registration[] inboundRegistrations;

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

    /** Creates a table within {@code limits}' {@code maxPeerTypes} and {@code maxTypeNameLength}. */
    public TypeTable(Limits limits) {
        this(limits.maxPeerTypes(), limits.maxTypeNameLength());
    }

    int outboundId(Class<?> type) {
        if (type == lastOutboundType) {
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
        return result;
    }

    /**
     * Returns the registration cached for the peer's {@code id} by {@code owner} (the class
     * resolver of the thread decoding for this connection, always the same one), or null.
     */
    Registration inboundRegistration(int id, Object owner) {
        int index = id - FIRST_ID;
        Registration[] cache = inboundRegistrations;
        return owner == registrationsOwner && cache != null && index >= 0
                && index < cache.length ? cache[index] : null;
    }

    void cacheInboundRegistration(int id, Object owner, Registration r) {
        int index = id - FIRST_ID;
        if (owner != registrationsOwner || inboundRegistrations == null) {
            registrationsOwner = owner;
            inboundRegistrations = new Registration[Math.max(8, inbound.size())];
        }
        if (index >= inboundRegistrations.length) {
            inboundRegistrations = Arrays.copyOf(inboundRegistrations,
                    Math.max(index + 1, inboundRegistrations.length * 2));
        }
        inboundRegistrations[index] = r;
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
        int expected = FIRST_ID + inbound.size();
        if (id != expected) {
            return "type id " + id + " defined out of order (expected " + expected + ")";
        }
        if (inbound.size() >= maxInbound) {
            return "peer defined more than maxPeerTypes (" + maxInbound + ") types; raise"
                    + " Limits.maxPeerTypes on this end if the peer really copies that many";
        }
        if (name.length() > maxNameLength) {
            return "type name of " + name.length() + " chars (" + abbreviate(name, 40)
                    + ") is longer than maxTypeNameLength (" + maxNameLength + "); raise"
                    + " Limits.maxTypeNameLength on this end if a class name really is";
        }
        Class<?> c = registry.lookup(name);
        inbound.add(c != null ? c : abbreviate(name, KEPT_NAME_CHARS));
        return null;
    }

    // A copy (never a view of the peer's string) of at most about max chars.
    private static String abbreviate(String name, int max) {
        return name.length() <= max ? name
                : name.substring(0, max) + "... (" + name.length() + " chars)";
    }

    /** Returns the Class for a peer's id, a String naming a forbidden class, or null if unknown. */
    Object inbound(int id) {
        int index = id - FIRST_ID;
        return index >= 0 && index < inbound.size() ? inbound.get(index) : null;
    }
}
