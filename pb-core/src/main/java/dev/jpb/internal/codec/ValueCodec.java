package dev.jpb.internal.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import dev.jpb.LimitExceededException;
import dev.jpb.PbException;
import dev.jpb.ProtocolException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Encodes and decodes values with Kryo under one end's allow-list. Thread-safe: each thread
 * (in practice each event loop) gets its own Kryo, bound to a connection's
 * {@link CodecSession} for the length of one message.
 */
public final class ValueCodec {
    private final TypeRegistry registry;
    private final int maxDepth;
    // One static thread-local, not one per codec: a FastThreadLocal's slot is never reused, so
    // a codec made per connection (or one evicted and made again) would leave its Kryo, and a
    // longer slot array, on every thread that used it for good (fuzzing's open finding).
    private static final FastThreadLocal<KryoCache> KRYOS = new FastThreadLocal<>() {
        @Override
        protected KryoCache initialValue() {
            return new KryoCache();
        }
    };

    /** Creates a codec for one end's allow-list and nesting limit. */
    public ValueCodec(TypeRegistry registry, int maxDepth) {
        this.registry = registry;
        this.maxDepth = maxDepth;
    }

    /** Returns the allow-list. */
    public TypeRegistry registry() {
        return registry;
    }

    /**
     * Writes {@code values} (each with its type; references shared across them) to
     * {@code output}. On failure, exports made for them are undone.
     *
     * @throws PbException naming what could not be written
     */
    public void write(Output output, Object[] values, CodecSession session) {
        write(output, values, null, session);
    }

    /**
     * Writes the one value {@code value} as {@link #write(Output, Object[], CodecSession)}
     * writes {@code new Object[] {value}}, without the array (an answer's value).
     *
     * @throws PbException naming what could not be written
     */
    public void writeOne(Output output, Object value, CodecSession session) {
        write(output, null, value, session);
    }

    // values, or (if null) the one value 'one'
    private void write(Output output, Object[] values, Object one, CodecSession session) {
        PbKryo kryo = kryo();
        kryo.session = session;
        boolean ok = false;
        try {
            if (values == null) {
                kryo.writeClassAndObject(output, one);
            } else {
                for (Object value : values) {
                    kryo.writeClassAndObject(output, value);
                }
            }
            ok = true;
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e, "cannot send");
        } finally {
            if (ok) {
                session.commit();
            } else {
                session.rollback();
            }
            kryo.reset();
            kryo.session = null;
        }
    }

    /**
     * Reads {@code count} values from {@code input}, one message, within the session's
     * {@code maxMessageValues} and {@code maxMessageWork} and, for a {@link #newInput()}, with
     * every declared length paid for by the frame's bytes.
     *
     * @throws PbException naming what could not be read; a {@link LimitExceededException}
     *     naming the limit a hostile message would have exceeded
     */
    public Object[] read(Input input, int count, CodecSession session) {
        return read(kryo(), input, count, session);
    }

    /**
     * Reads one value as {@link #read read(input, 1, session)} does, without the array (an
     * answer's value): the same limits, the same errors.
     *
     * @throws PbException naming what could not be read
     */
    public Object readOne(Input input, CodecSession session) {
        PbKryo kryo = kryo();
        begin(kryo, input, session);
        try {
            return kryo.readClassAndObject(input);
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e, "cannot read");
        } finally {
            kryo.reset();
            kryo.session = null;
        }
    }

    private static void begin(PbKryo kryo, Input input, CodecSession session) {
        kryo.session = session;
        kryo.budget.start(session.maxMessageValues(), session.maxMessageWork());
        if (input instanceof SafeInput safe) {
            safe.resetClaims();
        }
    }

    /**
     * As {@link #read}, with a Kryo of its own: safe while this thread is in the middle of
     * another read (a copy built while the value naming it is decoded).
     */
    public Object[] readDetached(Input input, int count, CodecSession session) {
        return read(new PbKryo(registry, maxDepth), input, count, session);
    }

    /**
     * As {@link #read}, all or nothing for the references: if the message cannot be read to its
     * end, the receipts of the references read before the failure are taken back without a
     * release ({@link ReferenceHooks#unimport}), as if none of the message had arrived. The
     * caller tells the peer so (docs/protocol.md §4.3, {@code argumentsUnread}); the peer then
     * gives back every reference it sent in the message itself.
     */
    public Object[] readAllOrNothing(Input input, int count, CodecSession session) {
        PbKryo kryo = kryo();
        kryo.imported = kryo.spareImported == null ? new long[4] : kryo.spareImported;
        kryo.importedCount = 0;
        boolean ok = false;
        try {
            Object[] values = read(kryo, input, count, session);
            ok = true;
            return values;
        } finally {
            long[] ids = kryo.imported;
            int n = kryo.importedCount;
            kryo.imported = null; // off: a nested read (a copy's state) counts its own
            kryo.importedCount = 0;
            if (!ok) {
                for (int i = 0; i < n; i++) {
                    session.unimport(ids[i]);
                }
            }
            kryo.spareImported = ids;
        }
    }

    /** Imports the peer's object {@code id}, noting it when the read is all or nothing. */
    static dev.jpb.RemoteReference importReference(Kryo kryo, long id) {
        PbKryo k = (PbKryo) kryo;
        dev.jpb.RemoteReference ref = k.session.importReference(id);
        if (k.imported != null) {
            if (k.importedCount == k.imported.length) {
                k.imported = java.util.Arrays.copyOf(k.imported, k.importedCount * 2);
            }
            k.imported[k.importedCount++] = id;
        }
        return ref;
    }

    private Object[] read(PbKryo kryo, Input input, int count, CodecSession session) {
        begin(kryo, input, session);
        try {
            Object[] values = new Object[count];
            for (int i = 0; i < count; i++) {
                values[i] = kryo.readClassAndObject(input);
            }
            return values;
        } catch (RuntimeException | StackOverflowError e) {
            throw translate(e, "cannot read");
        } finally {
            kryo.reset();
            kryo.session = null;
        }
    }

    /** Returns this thread's Kryo for this codec, made on first use. */
    private PbKryo kryo() {
        KryoCache cache = KRYOS.get();
        if (cache.lastCodec == this) {
            return cache.lastKryo;
        }
        PbKryo kryo = cache.others.get(this);
        if (kryo == null) {
            kryo = new PbKryo(registry, maxDepth);
            cache.others.put(this, kryo);
        }
        cache.lastCodec = this;
        cache.lastKryo = kryo;
        return kryo;
    }

    /**
     * One thread's Kryos, by codec: the last one used, then the others, weakly (a Kryo never
     * refers to its codec, so a codec no longer used leaves with its Kryo).
     */
    private static final class KryoCache {
        ValueCodec lastCodec; // strong, but one per thread
        PbKryo lastKryo;
        final java.util.Map<ValueCodec, PbKryo> others = new java.util.WeakHashMap<>();
    }

    /** Returns a fresh input that refuses forged lengths, for {@link #read}. */
    public static Input newInput() {
        return new SafeInput();
    }

    /**
     * Points {@code input} (a {@link #newInput()}) at the readable bytes of {@code frame},
     * which it reads without a copy of the whole frame when the frame is large: keep the frame
     * (unreleased, unchanged) until the read ends, then {@link #clearFrame}. The frame's
     * reader index does not move.
     */
    public static void setFrame(Input input, ByteBuf frame) {
        ((SafeInput) input).setFrame(frame);
    }

    /** Returns the bytes of the frame {@code input} has not read yet. */
    public static int bytesLeft(Input input) {
        return input instanceof SafeInput safe ? safe.bytesLeft()
                : input.limit() - input.position();
    }

    /** Makes {@code input} let go of the frame {@link #setFrame} gave it. */
    public static void clearFrame(Input input) {
        ((SafeInput) input).clearFrame();
    }

    static CodecSession session(Kryo kryo) {
        return ((PbKryo) kryo).session;
    }

    static ReadBudget budget(Kryo kryo) {
        return ((PbKryo) kryo).budget;
    }

    private PbException translate(Throwable e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PbException) {
                return (PbException) t;
            }
            if (t instanceof StackOverflowError || t.getMessage() != null
                    && t instanceof KryoException && t.getMessage().startsWith("Max depth")) {
                return new LimitExceededException("value nests deeper than maxDepth ("
                        + maxDepth + "); flatten the data or raise Limits.maxDepth on both ends");
            }
            if (t instanceof KryoException && t.getMessage() != null
                    && t.getMessage().startsWith("Buffer overflow")) {
                return new LimitExceededException("message is larger than maxFrameBytes;"
                        + " send less per call or raise Limits.maxFrameBytes on both ends");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof KryoException && e.getMessage() != null
                && e.getMessage().startsWith("Buffer underflow")) {
            return new ProtocolException(what + " value: the message ends early");
        }
        return new ProtocolException(what + " value: " + e, e);
    }

    /**
     * A Kryo that knows its connection session, never treats references as final, and weighs
     * every value it reads for the message's {@link ReadBudget}: each of Kryo's five ways of
     * reading a value (all that serializers call) is wrapped, O(1) per value.
     */
    static final class PbKryo extends Kryo {
        CodecSession session;
        long[] imported; // non-null during readAllOrNothing: the ids imported so far
        int importedCount;
        long[] spareImported; // the array to reuse for the next readAllOrNothing
        final ReadBudget budget;

        PbKryo(TypeRegistry registry, int maxDepth) {
            this(registry, maxDepth, new ReadBudget());
        }

        private PbKryo(TypeRegistry registry, int maxDepth, ReadBudget budget) {
            super(new PbClassResolver(registry), new MapReferenceResolver() {
                // Identity is kept for every object but the immutable values: the boxes (Kryo's
                // default) and strings, which then carry no reference marker (protocol §6.1).
                @Override
                public boolean useReferences(Class type) {
                    return type != String.class && super.useReferences(type);
                }

                @Override
                public int nextReadId(Class type) {
                    int id = super.nextReadId(type);
                    budget.newId(id);
                    return id;
                }

                @Override
                public Object getReadObject(Class type, int id) {
                    // A forged id would fail deep in Kryo's list as an index error.
                    if (id < 0 || id >= budget.ids()) {
                        throw new ProtocolException("back-reference to object " + id
                                + ", which the message has not sent");
                    }
                    budget.backReference(id);
                    return super.getReadObject(type, id);
                }
            });
            this.budget = budget;
            setReferences(true);
            setRegistrationRequired(true);
            setAutoReset(false);
            setMaxDepth(maxDepth);
            // A field's encoding must not depend on the type arguments of the field holding
            // its object: a foreign peer cannot know them.
            setOptimizedGenerics(false);
            setWarnUnregisteredClasses(false);
            setInstantiatorStrategy(
                    new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
            addDefaultSerializer(java.math.BigInteger.class, new CheckedBigIntegerSerializer());
            ((PbClassResolver) getClassResolver()).ready();
        }

        @Override
        public <T> T readObject(Input input, Class<T> type) {
            long start = budget.enter();
            int slot = budget.ids();
            T value = super.readObject(input, type);
            budget.leave(start, slot);
            return value;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
            long start = budget.enter();
            int slot = budget.ids();
            T value = super.readObject(input, type, serializer);
            budget.leave(start, slot);
            return value;
        }

        @Override
        public <T> T readObjectOrNull(Input input, Class<T> type) {
            long start = budget.enter();
            int slot = budget.ids();
            T value = super.readObjectOrNull(input, type);
            budget.leave(start, slot);
            return value;
        }

        @Override
        @SuppressWarnings("rawtypes")
        public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
            long start = budget.enter();
            int slot = budget.ids();
            T value = super.readObjectOrNull(input, type, serializer);
            budget.leave(start, slot);
            return value;
        }

        @Override
        public Object readClassAndObject(Input input) {
            long start = budget.enter();
            int slot = budget.ids();
            Object value = super.readClassAndObject(input);
            budget.leave(start, slot);
            return value;
        }

        @Override
        public boolean isFinal(Class type) {
            return FINAL.get(type); // asked for every field written and read: cached per class
        }

        private static final ClassValue<Boolean> FINAL = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                // A field declared with a Referenceable type receives a RemoteReference: always
                // write the actual kind so the reader picks the right serializer.
                if (Referenceable.class.isAssignableFrom(type)
                        || RemoteReference.class.isAssignableFrom(type)
                        || dev.jpb.Cacheable.class.isAssignableFrom(type)
                        || dev.jpb.RemoteCache.class.isAssignableFrom(type)) {
                    return false;
                }
                Class<?> element = type;
                while (element.isArray()) {
                    element = element.getComponentType();
                }
                return java.lang.reflect.Modifier.isFinal(element.getModifiers()); // Kryo's rule
            }
        };
    }
}
