package dev.jpb.internal.twisted;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jpb.PbException;
import dev.jpb.Referenceable;
import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.StubRemoteReference;
import dev.jpb.internal.fuzz.FuzzChecks;
import dev.jpb.internal.twisted.banana.BananaDecoder;
import dev.jpb.internal.twisted.banana.BananaEncoder;
import dev.jpb.internal.twisted.banana.BananaLimits;
import dev.jpb.twisted.BananaException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the Twisted fuzz targets share: a Banana decoder (and, for the broker target, encoder
 * and {@link TwistedBroker}) on an {@link EmbeddedChannel} whose buffers come from a counting
 * allocator, a guard recording every exception the decoder raises, and the checks.
 */
final class TwistedFuzzing implements AutoCloseable {
    private static final PooledByteBufAllocator ALLOC = FuzzChecks.ALLOC;

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
                for (Class<? extends Throwable> bug : FuzzChecks.BUGS) {
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

    static long liveAllocations() {
        return FuzzChecks.liveAllocations();
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
        return FuzzChecks.weigh(java.util.Collections.singletonList(value), Set.of(Bag.class),
                o -> true);
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
    private static final class Proxy extends StubRemoteReference {
        final Object luid;

        Proxy(Object luid) {
            this.luid = luid;
        }
    }
}
