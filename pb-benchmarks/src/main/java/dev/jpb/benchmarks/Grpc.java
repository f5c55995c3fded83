package dev.jpb.benchmarks;

import dev.jpb.internal.transport.Transport;
import io.grpc.CallOptions;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.IoHandlerFactory;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The grpc-java baseline: the floor's three calls as unary gRPC methods, without protoc. The
 * {@link MethodDescriptor}s are built by hand with marshallers that write the values as plain
 * bytes (two {@code int}s as 8 bytes big-endian, an {@code int} as 4, a {@code byte[]} as it
 * is, handed to gRPC as a {@link KnownLength} {@link Drainable} stream as protobuf's own
 * marshaller does), served by {@link ServerCalls#asyncUnaryCall} and called with
 * {@link ClientCalls#asyncUnaryCall}.
 *
 * <p>Transport: grpc-netty-shaded (its own relocated Netty, apart from jpb's) over
 * {@code 127.0.0.1} TCP with {@code TCP_NODELAY}, plaintext HTTP/2, {@code directExecutor()} on
 * every server and channel, so handlers and answers run on the event loops as the floor's do;
 * or, with {@code direct} false ({@link GrpcDefaultState}), gRPC's default executors (its
 * shared cached thread pool for handlers and for the client's callbacks), as an application
 * that does not opt in gets.
 * The event loops are epoll when jpb uses epoll and the shaded native library loads (it does on
 * Linux x86_64 and aarch64), NIO otherwise ({@link #isEpoll}); as the floor, the server has one
 * accepting thread and one I/O thread per CPU, the client one I/O thread.
 *
 * <p>W4's callback: a unary call cannot call back into its caller over its own HTTP/2
 * connection, so the client also hosts a gRPC server with a {@code jpb.Callback/Ping} method
 * (answering {@code a + 1}) on its own event loop, and sends that server's port with each
 * {@code withCallback} request, as a jpb caller sends a reference. The server's handler calls
 * {@code Ping} over a channel to that port (made on first use, then kept, on the server's I/O
 * threads) without blocking, and answers its own call when the callback's answer arrives. So
 * W4 in gRPC runs over two TCP connections where jpb and the floor use one. A bidirectional
 * stream would keep one connection but is not how a gRPC application makes a unary call.
 */
final class Grpc {
    /** {@code jpb.Bench/Add}: {@code (a, b)} to {@code a + b}. */
    static final MethodDescriptor<int[], Integer> ADD =
            unary("jpb.Bench", "Add", TwoInts.INSTANCE, OneInt.INSTANCE);
    /** {@code jpb.Bench/Echo}: the bytes back. */
    static final MethodDescriptor<byte[], byte[]> ECHO =
            unary("jpb.Bench", "Echo", Bytes.INSTANCE, Bytes.INSTANCE);
    /** {@code jpb.Bench/WithCallback}: {@code (callback port, a)} to the callback's answer. */
    static final MethodDescriptor<int[], Integer> WITH_CALLBACK =
            unary("jpb.Bench", "WithCallback", TwoInts.INSTANCE, OneInt.INSTANCE);
    /** {@code jpb.Callback/Ping}, served by the client: {@code a} to {@code a + 1}. */
    static final MethodDescriptor<Integer, Integer> PING =
            unary("jpb.Callback", "Ping", OneInt.INSTANCE, OneInt.INSTANCE);

    private static final boolean EPOLL = Transport.isEpoll() && Epoll.isAvailable();

    private Grpc() {
    }

    /** Returns whether the shaded Netty runs on epoll (else NIO). */
    static boolean isEpoll() {
        return EPOLL;
    }

    /** The server of {@code jpb.Bench}. */
    static final class Server implements AutoCloseable {
        private final EventLoopGroup boss = newEventLoopGroup(1, "grpc-accept");
        private final EventLoopGroup workers = newEventLoopGroup(
                Math.max(1, Runtime.getRuntime().availableProcessors()), "grpc-server-io");
        // callback port -> channel to the client's callback server
        private final Map<Integer, ManagedChannel> callbacks = new ConcurrentHashMap<>();
        private final io.grpc.Server server;
        private final boolean direct;

        Server() throws IOException {
            this(true);
        }

        /** A server on {@code directExecutor()} if {@code direct}, else on gRPC's default. */
        Server(boolean direct) throws IOException {
            this.direct = direct;
            ServerServiceDefinition service = ServerServiceDefinition.builder("jpb.Bench")
                    .addMethod(ADD, ServerCalls.asyncUnaryCall(Server::add))
                    .addMethod(ECHO, ServerCalls.asyncUnaryCall(Server::echo))
                    .addMethod(WITH_CALLBACK, ServerCalls.asyncUnaryCall(this::withCallback))
                    .build();
            server = newServer(boss, workers, direct).addService(service).build().start();
        }

        int port() {
            return server.getPort();
        }

        private static void add(int[] ab, StreamObserver<Integer> out) {
            answer(out, ab[0] + ab[1]);
        }

        private static void echo(byte[] bytes, StreamObserver<byte[]> out) {
            answer(out, bytes);
        }

        private void withCallback(int[] portAndA, StreamObserver<Integer> out) {
            // the callback's answer, completion or error goes straight to our caller
            ClientCalls.asyncUnaryCall(callback(portAndA[0]).newCall(PING, CallOptions.DEFAULT),
                    portAndA[1], out);
        }

        private ManagedChannel callback(int port) {
            ManagedChannel channel = callbacks.get(port);
            return channel != null ? channel
                    : callbacks.computeIfAbsent(port, p -> newChannel(p, workers, direct));
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow();
            callbacks.values().forEach(ManagedChannel::shutdownNow);
            server.awaitTermination(5, TimeUnit.SECONDS);
            for (ManagedChannel channel : callbacks.values()) {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            }
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /**
     * The client: one channel to the server, and the callback server W4's requests name. Its
     * calls may be made from any thread; their futures complete on its event loop.
     */
    static final class Client implements AutoCloseable {
        private final EventLoopGroup group = newEventLoopGroup(1, "grpc-client-io");
        private final io.grpc.Server callbackServer;
        private final ManagedChannel channel;

        Client(int port) throws IOException {
            this(port, true);
        }

        /** A client on {@code directExecutor()} if {@code direct}, else on gRPC's default. */
        Client(int port, boolean direct) throws IOException {
            callbackServer = newServer(group, group, direct)
                    .addService(ServerServiceDefinition.builder("jpb.Callback")
                            .addMethod(PING, ServerCalls.asyncUnaryCall(
                                    (a, out) -> answer(out, a + 1)))
                            .build())
                    .build().start();
            channel = newChannel(port, group, direct);
        }

        /** Calls {@code Add}. */
        CompletableFuture<Integer> add(int a, int b) {
            return call(ADD, new int[] {a, b});
        }

        /** Calls {@code Echo}. */
        CompletableFuture<byte[]> echo(byte[] bytes) {
            return call(ECHO, bytes);
        }

        /** Calls {@code WithCallback}: the server pings this client, which answers a + 1. */
        CompletableFuture<Integer> withCallback(int a) {
            return call(WITH_CALLBACK, new int[] {callbackServer.getPort(), a});
        }

        private <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request) {
            FutureObserver<R> answer = new FutureObserver<>();
            ClientCalls.asyncUnaryCall(channel.newCall(method, CallOptions.DEFAULT), request,
                    answer);
            return answer;
        }

        @Override
        public void close() throws InterruptedException {
            channel.shutdownNow();
            callbackServer.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
            callbackServer.awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** A unary call's answer: completes when the call closes, as {@code futureUnaryCall}. */
    private static final class FutureObserver<T> extends CompletableFuture<T>
            implements StreamObserver<T> {
        private T value; // set and read on the channel's event loop

        @Override
        public void onNext(T value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable t) {
            completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            complete(value);
        }
    }

    private static <T> void answer(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static NettyServerBuilder newServer(EventLoopGroup boss, EventLoopGroup workers,
            boolean direct) {
        Class<? extends ServerChannel> type =
                EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        NettyServerBuilder builder =
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                        .channelType(type)
                        .bossEventLoopGroup(boss)
                        .workerEventLoopGroup(workers)
                        .withChildOption(ChannelOption.TCP_NODELAY, true);
        return direct ? builder.directExecutor() : builder;
    }

    private static ManagedChannel newChannel(int port, EventLoopGroup group, boolean direct) {
        Class<? extends SocketChannel> type =
                EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
        NettyChannelBuilder builder =
                NettyChannelBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                        .channelType(type)
                        .eventLoopGroup(group)
                        .withOption(ChannelOption.TCP_NODELAY, true)
                        .usePlaintext();
        return (direct ? builder.directExecutor() : builder).build();
    }

    private static EventLoopGroup newEventLoopGroup(int threads, String name) {
        IoHandlerFactory factory = EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                factory);
    }

    private static <Q, R> MethodDescriptor<Q, R> unary(String service, String method,
            Marshaller<Q> request, Marshaller<R> response) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(service, method))
                .setRequestMarshaller(request)
                .setResponseMarshaller(response)
                .build();
    }

    /** Reads a whole message: in one copy when gRPC tells its length, as it does. */
    private static byte[] readAll(InputStream in) {
        try {
            if (in instanceof KnownLength) {
                int length = in.available();
                byte[] bytes = new byte[length];
                int read = in.readNBytes(bytes, 0, length);
                if (read != length) {
                    throw new IOException("message of " + length + " bytes ended at " + read);
                }
                return bytes;
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A message's bytes as gRPC likes them: length known, drained in one write. */
    private static final class BytesStream extends ByteArrayInputStream
            implements KnownLength, Drainable {
        BytesStream(byte[] bytes) {
            super(bytes);
        }

        @Override
        public int drainTo(OutputStream target) throws IOException {
            int n = count - pos;
            target.write(buf, pos, n);
            pos = count;
            return n;
        }
    }

    private enum TwoInts implements Marshaller<int[]> {
        INSTANCE;

        @Override
        public InputStream stream(int[] value) {
            byte[] bytes = new byte[8];
            putInt(bytes, 0, value[0]);
            putInt(bytes, 4, value[1]);
            return new BytesStream(bytes);
        }

        @Override
        public int[] parse(InputStream stream) {
            byte[] bytes = readAll(stream);
            return new int[] {getInt(bytes, 0), getInt(bytes, 4)};
        }
    }

    private enum OneInt implements Marshaller<Integer> {
        INSTANCE;

        @Override
        public InputStream stream(Integer value) {
            byte[] bytes = new byte[4];
            putInt(bytes, 0, value);
            return new BytesStream(bytes);
        }

        @Override
        public Integer parse(InputStream stream) {
            return getInt(readAll(stream), 0);
        }
    }

    private enum Bytes implements Marshaller<byte[]> {
        INSTANCE;

        @Override
        public InputStream stream(byte[] value) {
            return new BytesStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            return readAll(stream);
        }
    }

    private static void putInt(byte[] bytes, int at, int v) {
        bytes[at] = (byte) (v >>> 24);
        bytes[at + 1] = (byte) (v >>> 16);
        bytes[at + 2] = (byte) (v >>> 8);
        bytes[at + 3] = (byte) v;
    }

    private static int getInt(byte[] bytes, int at) {
        return (bytes[at] << 24) | (bytes[at + 1] & 0xff) << 16 | (bytes[at + 2] & 0xff) << 8
                | (bytes[at + 3] & 0xff);
    }
}
