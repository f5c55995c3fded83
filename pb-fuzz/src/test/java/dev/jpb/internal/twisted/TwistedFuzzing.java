package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.Connection;
import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaEncoder;
import dev.jpb.internal.twisted.banana.BananaLimits;
import dev.jpb.twisted.BananaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the Twisted fuzz targets share: a Banana decoder (and, for the broker target, encoder
 * and {@link TwistedBroker}) on an {@link EmbeddedChannel} whose buffers come from a counting
 * allocator, a guard recording every exception the decoder raises, and the checks.
 */
final class TwistedFuzzing implements AutoCloseable {
    /** One heap arena without thread caches: 0 live allocations exactly when nothing leaked. */
    static final PooledByteBufAllocator ALLOC =
            new PooledByteBufAllocator(false, 1, 0, 8192, 9, 0, 0, false);

    /** Exception types that, anywhere in a failure's chain, mean a bug in the decoder. */
    static final List<Class<? extends Throwable>> BUGS = List.of(
            NullPointerException.class, ClassCastException.class,
            IndexOutOfBoundsException.class, NegativeArraySizeException.class,
            ArithmeticException.class, ArrayStoreException.class, IllegalStateException.class,
            UnsupportedOperationException.class, NumberFormatException.class, Error.class);

    /** A record copy registered as {@code shared.Point}. */
    public record Point(int x, int y) {
    }

    /** A class copy registered as {@code shared.Bag}: fields of every kind. */
    public static final class Bag {
        Object content;
        List<Object> items;
        Map<Object, Object> tags;
        long count;
        double weight;
        String name;

        Bag() {
        }
    }

    static final CopyRegistry REGISTRY = new CopyRegistry.Builder()
            .copy("shared.Point", Point.class).copy("shared.Bag", Bag.class).build();

    /** The root the broker target serves: values, copies, references, callbacks, errors. */
    public static class FuzzRoot extends Root {
        public Object remote_echo(Object value) {
            return value;
        }

        public int remote_add(int a, int b) {
            return a + b;
        }

        public int remote_size(List<Object> list) {
            return list.size();
        }

        public Point remote_move(Point p, int dx) {
            return new Point(p.x() + dx, p.y());
        }

        public Child remote_child() {
            return new Child();
        }

        public CompletableFuture<Object> remote_callMe(RemoteReference cb) {
            return cb.callRemote("ping", 41);
        }

        public void remote_fail() {
            throw new IllegalArgumentException("fails on purpose");
        }
    }

    /** An object the root hands out by reference. */
    public static class Child extends Referenceable {
        public String remote_ping() {
            return "pong";
        }
    }

    final EmbeddedChannel channel;
    final Jelly jelly;
    final List<Throwable> escaped = new ArrayList<>();
    final List<Object> replies = new ArrayList<>();
    private final List<Object> decoded = new ArrayList<>();

    private TwistedFuzzing(EmbeddedChannel channel, Jelly jelly) {
        this.channel = channel;
        this.jelly = jelly;
    }

    /** A decoder in the pb dialect, and a Jelly whose peer exports and imports freely. */
    static TwistedFuzzing decoderOnly() {
        assertThat(liveAllocations()).as("buffers live before the input").isZero();
        BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULTS);
        decoder.selectPbDialect();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(ALLOC);
        TwistedFuzzing f = new TwistedFuzzing(ch, new Jelly(REGISTRY, new TablePeer()));
        ch.pipeline().addLast(decoder, f.new Guard());
        return f;
    }

    /** A server-side broker after the client chose the pb dialect. */
    static TwistedFuzzing server() {
        assertThat(liveAllocations()).as("buffers live before the input").isZero();
        BananaDecoder decoder = new BananaDecoder(BananaLimits.DEFAULTS);
        BananaEncoder encoder = new BananaEncoder(BananaLimits.DEFAULTS);
        TwistedBroker broker = new TwistedBroker(false, new FuzzRoot(), REGISTRY, 64, 64,
                decoder, encoder, Runnable::run);
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.config().setAllocator(ALLOC);
        TwistedFuzzing f = new TwistedFuzzing(ch, null);
        ch.pipeline().addLast(decoder, encoder, f.new Spy(), f.new Guard(), broker);
        try {
            ch.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        ch.pipeline().fireChannelActive();
        f.drainOutbound();
        f.replies.clear(); // the dialect offer
        byte[] pb = {2, (byte) 0x82, 'p', 'b'};
        f.write(pb, 0, pb.length);
        assertThat(broker.ready()).isCompleted();
        f.replies.clear(); // the version
        return f;
    }

    /** Feeds bytes in one read (nothing if empty) and returns the expressions decoded. */
    List<Object> decode(byte[] data) {
        write(data, 0, data.length);
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    void write(byte[] data, int from, int to) {
        if (from >= to || !channel.isOpen()) {
            return;
        }
        ByteBuf buf = ALLOC.heapBuffer(to - from);
        buf.writeBytes(data, from, to - from);
        channel.writeInbound(buf);
        channel.runPendingTasks();
        drainOutbound();
    }

    private void drainOutbound() {
        for (Object o; (o = channel.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
    }

    /** Checks every reply the broker sent: an answer, an error of no bug type, a call. */
    void checkReplies() {
        for (Object r : replies) {
            assertThat(r).as("a reply").isInstanceOf(List.class);
            List<?> list = (List<?>) r;
            String command = String.valueOf(list.get(0));
            assertThat(command).as("what the broker sent")
                    .isIn("answer", "error", "message", "decref", "didNotUnderstand");
            if (command.equals("error")) {
                String type = failureType(list.get(2));
                for (Class<? extends Throwable> bug : BUGS) {
                    if (bug.getName().equals(type) || isSubclass(type, bug)) {
                        throw new AssertionError("the broker answered a call with " + type);
                    }
                }
            }
        }
    }

    private static boolean isSubclass(String name, Class<?> of) {
        try {
            return of.isAssignableFrom(Class.forName(name, false,
                    TwistedFuzzing.class.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The {@code type} entry of a CopyableFailure's state, as the broker wrote it. */
    private static String failureType(Object failure) {
        List<?> f = (List<?>) failure;
        List<?> state = (List<?>) f.get(1);
        for (Object item : state.subList(1, state.size())) {
            List<?> pair = (List<?>) item;
            List<?> key = (List<?>) pair.get(0);
            if ("type".equals(new String((byte[]) key.get(1), UTF_8))) {
                return new String((byte[]) pair.get(1), UTF_8);
            }
        }
        throw new AssertionError("a failure without a type");
    }

    /** Fails if {@code e}'s chain holds a programming error. */
    static void checkNoBug(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> bug : BUGS) {
                if (bug.isInstance(t)) {
                    throw new AssertionError("decoder bug behind " + e, e);
                }
            }
        }
    }

    static long liveAllocations() {
        long n = 0;
        for (PoolArenaMetric arena : ALLOC.metric().heapArenas()) {
            n += arena.numActiveAllocations();
        }
        return n;
    }

    /** Closes the channel and checks the exceptions raised and the buffers left. */
    @Override
    public void close() {
        channel.finishAndReleaseAll();
        for (Throwable t : escaped) {
            Throwable cause = t instanceof DecoderException && t.getCause() != null
                    ? t.getCause() : t;
            if (!(cause instanceof BananaException)) {
                throw new AssertionError("the decoder raised " + t + ", not a BananaException",
                        t);
            }
        }
        assertThat(liveAllocations()).as("buffers leaked by the input").isZero();
    }

    /** Counts the distinct objects and their slots reachable from {@code value}. */
    static long weigh(Object value) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        if (value != null) {
            todo.push(value);
        }
        long weight = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            weight++;
            List<Object> children = new ArrayList<>();
            Class<?> c = o.getClass();
            if (o instanceof Collection<?> coll) {
                weight += coll.size();
                children.addAll(coll);
            } else if (o instanceof Map<?, ?> map) {
                weight += 2L * map.size();
                map.forEach((k, v) -> {
                    children.add(k);
                    children.add(v);
                });
            } else if (c.isArray()) {
                weight += c == byte[].class ? 0 : Array.getLength(o);
            } else if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    weight++;
                    children.add(read(rc, o));
                }
            } else if (o instanceof Bag) {
                for (Field field : Bag.class.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())) {
                        weight++;
                        children.add(read(field, o));
                    }
                }
            }
            for (Object child : children) {
                if (child != null) {
                    todo.push(child);
                }
            }
        }
        return weight;
    }

    private static Object read(RecordComponent rc, Object record) {
        try {
            rc.getAccessor().setAccessible(true);
            return rc.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object read(Field f, Object o) {
        try {
            f.setAccessible(true);
            return f.get(o);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Records what the decoder raises, then passes it on (the broker closes the channel). */
    private final class Guard extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            escaped.add(cause);
            if (ctx.pipeline().last() == this) {
                ctx.close();
            } else {
                ctx.fireExceptionCaught(cause);
            }
        }
    }

    /** Keeps every expression the broker writes, before it is encoded. */
    private final class Spy extends ChannelOutboundHandlerAdapter {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            replies.add(msg);
            ctx.write(msg, promise);
        }
    }

    /** A peer whose tables accept everything: imports are inert proxies. */
    private static final class TablePeer implements JellyPeer {
        private long next;

        @Override
        public Object export(Referenceable object) {
            return ++next;
        }

        @Override
        public Object luidOf(RemoteReference ref) {
            return ref instanceof Proxy p ? p.luid : null;
        }

        @Override
        public RemoteReference importReference(Object luid) {
            return new Proxy(luid);
        }

        @Override
        public Object localObject(Object luid) {
            return Luids.ROOT.equals(luid) ? new FuzzRoot() : null;
        }
    }

    /** An imported reference that is never called: Jelly only builds it. */
    private record Proxy(Object luid) implements RemoteReference {
        @Override
        public <T> CompletableFuture<T> callRemote(String name, Object... args) {
            throw new UnsupportedOperationException("a fuzz proxy is not called");
        }

        @Override
        public void callRemoteOnly(String name, Object... args) {
            throw new UnsupportedOperationException("a fuzz proxy is not called");
        }

        @Override
        public <T> T as(Class<T> iface) {
            throw new UnsupportedOperationException("a fuzz proxy is not called");
        }

        @Override
        public Connection connection() {
            return null;
        }

        @Override
        public boolean isConnected() {
            return false;
        }

        @Override
        public void notifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        }

        @Override
        public void dontNotifyOnDisconnect(Consumer<? super RemoteReference> listener) {
        }

        @Override
        public void release() {
        }
    }
}
