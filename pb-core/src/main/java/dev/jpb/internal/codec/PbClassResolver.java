package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.ClassResolver;
import com.google.common.primitives.Primitives;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.EnumNameSerializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import dev.jpb.Cacheable;
import dev.jpb.Copyable;
import dev.jpb.ForbiddenTypeException;
import dev.jpb.PbError;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteCache;
import dev.jpb.RemoteReference;
import java.lang.reflect.Proxy;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Kryo's view of classes, replaced by jpb's: only allowed classes get a registration; on the
 * wire a class is a small per-connection id defined once by name (see {@link TypeTable}), or
 * one of the fixed ids below for nulls, references and collections.
 */
final class PbClassResolver implements ClassResolver {
    static final int NULL = 0;
    static final int REFERENCE = 1; // the sender's object: the receiver gets a proxy
    static final int YOURS = 2;     // the receiver's own object, sent back
    static final int LIST = 3;
    static final int SET = 4;
    static final int MAP = 5;
    static final int CACHE = 6; // the sender's Cacheable: the receiver gets its copy

    private final TypeRegistry registry;
    private final Map<Class<?>, Registration> registrations = new IdentityHashMap<>();
    private final Registration referenceIn;
    private final Registration yoursIn;
    private final Registration listIn;
    private final Registration setIn;
    private final Registration mapIn;
    private final Registration referenceOut;
    private final Registration yoursOut;
    private final Registration cacheIn;
    private final Registration cacheOut;
    private final Registration copyOut;
    private final Serializer<?> localSerializer = new ReferenceSerializers.Local();
    private final Serializer<?> remoteSerializer = new ReferenceSerializers.Remote();
    private final Serializer<?> listSerializer = new CollectionSerializers.ListSerializer();
    private final Serializer<?> setSerializer = new CollectionSerializers.SetSerializer();
    private final Serializer<?> mapSerializer = new CollectionSerializers.MapSerializer();
    private Class<?> memoType; // the last class looked up, and its registration
    private Registration memoRegistration;
    private Kryo kryo;
    private boolean ready; // false while Kryo's constructor registers its primitives

    PbClassResolver(TypeRegistry registry) {
        this.registry = registry;
        this.referenceIn = new Registration(RemoteReference.class, localSerializer, REFERENCE);
        this.yoursIn = new Registration(Referenceable.class, remoteSerializer, YOURS);
        this.listIn = new Registration(java.util.ArrayList.class, listSerializer, LIST);
        this.setIn = new Registration(java.util.LinkedHashSet.class, setSerializer, SET);
        this.mapIn = new Registration(java.util.LinkedHashMap.class, mapSerializer, MAP);
        this.referenceOut = new Registration(Referenceable.class, localSerializer, REFERENCE);
        this.yoursOut = new Registration(RemoteReference.class, remoteSerializer, YOURS);
        Serializer<?> cached = new ReferenceSerializers.Cached();
        this.cacheIn = new Registration(RemoteCache.class, cached, CACHE);
        this.cacheOut = new Registration(Cacheable.class, cached, CACHE);
        this.copyOut = new Registration(RemoteCache.class, new ReferenceSerializers.CopyBack(),
                YOURS);
    }

    /** Called once Kryo is constructed: from now on registrations are jpb's to make. */
    void ready() {
        this.ready = true;
    }

    @Override
    public void setKryo(Kryo kryo) {
        this.kryo = kryo;
    }

    @Override
    public Registration register(Registration registration) {
        // Kryo registers the primitives and String at construction; keep their serializers
        // (for the boxes too) but name them on the wire like any other class.
        Class<?> type = registration.getType();
        Registration named = new Registration(type, registration.getSerializer(), -1);
        registrations.put(type, named);
        if (type.isPrimitive() && type != void.class) {
            registrations.put(Primitives.wrap(type),
                    new Registration(Primitives.wrap(type), registration.getSerializer(), -1));
        }
        return named;
    }

    @Override
    public Registration unregister(int classID) {
        return null;
    }

    @Override
    public Registration registerImplicit(Class type) {
        return getRegistration(type);
    }

    @Override
    public Registration getRegistration(int classID) {
        return null;
    }

    @Override
    public Registration getRegistration(Class type) {
        if (type == memoType) {
            return memoRegistration; // a list's elements, a record's fields: often the same
        }
        Registration r = registrations.get(type);
        if (r == null && ready && travelsByReference(type)) {
            // Not cached per class: this resolver lives as long as its thread, and caching
            // would keep every class ever sent by reference (and its class loader) reachable
            // for good, such as the controllers a thin client loads from each pushed bundle.
            return Referenceable.class.isAssignableFrom(type) ? referenceOut
                    : Cacheable.class.isAssignableFrom(type) ? cacheOut
                    : RemoteCache.class.isAssignableFrom(type) ? copyOut : yoursOut;
        }
        if (r == null && ready) {
            r = newRegistration(type);
            registrations.put(type, r);
        }
        if (r != null) {
            memoType = type;
            memoRegistration = r;
        }
        return r;
    }

    private static boolean travelsByReference(Class<?> type) {
        return Referenceable.class.isAssignableFrom(type)
                || RemoteReference.class.isAssignableFrom(type) || Proxy.isProxyClass(type)
                || Cacheable.class.isAssignableFrom(type)
                || RemoteCache.class.isAssignableFrom(type);
    }

    private Registration newRegistration(Class<?> type) {
        if (Referenceable.class.isAssignableFrom(type)) {
            return new Registration(type, localSerializer, REFERENCE);
        }
        // A typed proxy (RemoteReference.as) travels as the reference it wraps.
        if (RemoteReference.class.isAssignableFrom(type) || Proxy.isProxyClass(type)) {
            return new Registration(type, remoteSerializer, YOURS);
        }
        if (Map.class.isAssignableFrom(type)) {
            return new Registration(type, mapSerializer, MAP);
        }
        if (Set.class.isAssignableFrom(type)) {
            return new Registration(type, setSerializer, SET);
        }
        if (Collection.class.isAssignableFrom(type)) {
            return new Registration(type, listSerializer, LIST);
        }
        Class<?> named = type;
        if (Enum.class.isAssignableFrom(type) && !type.isEnum()) {
            named = type.getSuperclass(); // a constant with a body
        }
        if (!registry.isAllowed(named)) {
            throw notAllowed(named);
        }
        return new Registration(named, serializerFor(named), -1);
    }

    private static ForbiddenTypeException notAllowed(Class<?> type) {
        Class<?> base = type;
        while (base.isArray()) {
            base = base.getComponentType();
        }
        String name = base.getSimpleName();
        if (!Copyable.class.isAssignableFrom(base)) {
            return new ForbiddenTypeException("class " + type.getName() + " cannot be sent:"
                    + " make it implement dev.jpb.Copyable and register it on both ends (builder()"
                    + ".register(" + name + ".class)) to pass it by copy, or extend"
                    + " dev.jpb.Referenceable to pass it by reference");
        }
        return new ForbiddenTypeException("class " + type.getName()
                + " is not registered for copying; register it on both ends with"
                + " PbServer.builder().register(" + name + ".class) and"
                + " PbClient.builder().register(" + name + ".class)");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Serializer<?> serializerFor(Class<?> type) {
        if (type == boolean[].class) {
            return new CollectionSerializers.BooleanArraySerializer();
        }
        if (type.isArray()) {
            return type.getComponentType().isPrimitive()
                    ? kryo.getDefaultSerializer(type)
                    : new CollectionSerializers.ObjectArraySerializer();
        }
        if (type == String.class) {
            return new DefaultSerializers.StringSerializer();
        }
        if (type.isEnum()) {
            return new EnumSerializer((Class) type);
        }
        if (PbError.class.isAssignableFrom(type)) {
            return new ErrorSerializer(type);
        }
        if (type.isRecord()) {
            return new PbRecordSerializer<>(kryo, type);
        }
        if (type.isPrimitive()) {
            return kryo.getDefaultSerializer(Primitives.wrap(type));
        }
        if (type == java.util.UUID.class) {
            return new DefaultSerializers.UUIDSerializer();
        }
        if (type.getName().startsWith("java.")) {
            // JDK internals are closed to reflection: a JDK type needs a dedicated serializer.
            Serializer<?> s = kryo.getDefaultSerializer(type);
            if (s instanceof FieldSerializer) {
                throw new IllegalStateException("no serializer for " + type.getName());
            }
            return s;
        }
        return new FieldSerializer<>(kryo, type);
    }

    @Override
    public Registration writeClass(Output output, Class type) {
        if (type == null) {
            output.writeByte(NULL);
            return null;
        }
        Registration r = getRegistration(type);
        int id = r.getId();
        if (id < 0) {
            id = ValueCodec.session(kryo).types().outboundId(r.getType());
        }
        output.writeVarInt(id, true);
        return r;
    }

    @Override
    public Registration readClass(Input input) {
        int id = input.readVarInt(true);
        switch (id) {
            case NULL: return null;
            case REFERENCE: return referenceIn;
            case YOURS: return yoursIn;
            case LIST: return listIn;
            case SET: return setIn;
            case MAP: return mapIn;
            case CACHE: return cacheIn;
            default: break;
        }
        TypeTable types = ValueCodec.session(kryo).types();
        Registration cached = types.inboundRegistration(id, this);
        if (cached != null) {
            return cached;
        }
        Object known = types.inbound(id);
        if (known instanceof Class) {
            Registration r = getRegistration((Class<?>) known);
            types.cacheInboundRegistration(id, this, r);
            return r;
        }
        if (known instanceof String) {
            throw new ForbiddenTypeException("received an instance of " + known
                    + ", which is not registered here for copying; register it on both ends"
                    + " with builder().register(...)");
        }
        throw new ProtocolException("type id " + id + " was never defined on this connection");
    }

    @Override
    public void reset() {
        // Type ids live as long as the connection, not one object graph.
    }

    /** Kryo's enum-by-name encoding, refusing a null name (Enum.valueOf would throw an NPE). */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class EnumSerializer extends EnumNameSerializer {
        private final Class<? extends Enum> type;

        EnumSerializer(Class<? extends Enum> type) {
            super(type);
            this.type = type;
        }

        @Override
        public Enum read(Kryo kryo, Input input, Class ignored) {
            String name = input.readString();
            if (name == null) {
                throw new ProtocolException("a constant of enum " + type.getName()
                        + " arrived without a name");
            }
            try {
                return Enum.valueOf(type, name);
            } catch (IllegalArgumentException e) {
                throw new ProtocolException("enum " + type.getName() + " has no constant "
                        + (name.length() <= 60 ? name : name.substring(0, 60) + "...")
                        + "; register the same version of it on"
                        + " both ends");
            }
        }
    }
}
