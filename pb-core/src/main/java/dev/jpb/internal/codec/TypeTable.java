package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Registration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One connection's type names: the ids we gave the classes we sent, and the ids the peer gave
 * the classes it sends. Ids start at {@link #FIRST_ID} and grow by one per new class.
 *
 * <p>Outbound state is touched only by the thread encoding for the connection, inbound only by
 * the thread decoding for it (both its event loop), so no locking.
 */
public final class TypeTable {
    /** The first id a named type gets; smaller ids are fixed by the protocol. */
    public static final int FIRST_ID = 16;

    private final Map<Class<?>, Integer> outbound = new IdentityHashMap<>();
    private final List<String> pendingDefinitions = new ArrayList<>(2);
    private final List<Object> inbound = new ArrayList<>(); // Class, or String for a forbidden name
    private final int maxInbound;
    private Class<?> lastOutboundType; // memo of outboundId's last answer
    private int lastOutboundId;
    private Object registrationsOwner; // decoding cache: see inboundRegistration
    private Registration[] inboundRegistrations;

    /** Creates a table accepting at most {@code maxInbound} type definitions from the peer. */
    public TypeTable(int maxInbound) {
        this.maxInbound = maxInbound;
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
            return "peer defined more than " + maxInbound + " types";
        }
        Class<?> c = registry.lookup(name);
        inbound.add(c != null ? c : name);
        return null;
    }

    /** Returns the Class for a peer's id, a String naming a forbidden class, or null if unknown. */
    Object inbound(int id) {
        int index = id - FIRST_ID;
        return index >= 0 && index < inbound.size() ? inbound.get(index) : null;
    }
}
