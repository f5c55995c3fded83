package dev.jpb.benchmarks;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.client.PbClient;
import dev.jpb.internal.transport.Transport;
import dev.jpb.server.PbServer;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The jpb side that W6 and W9 share: one server (default settings) and its clients in this
 * JVM. The clients share one event loop group of {@value #SHARED_THREADS} threads and one
 * executor of {@value #SHARED_THREADS} threads, as an application with many connections
 * would; they connect {@value #CONNECTORS} at a time.
 */
final class JpbClients implements AutoCloseable {
    static final int SHARED_THREADS = 2;
    /** How many clients connect at once during setup. */
    private static final int CONNECTORS = 16;

    private final String name;
    private final List<PbClient> clients = new CopyOnWriteArrayList<>();
    private final PbServer server;
    private final EventLoopGroup group;
    private final ExecutorService executor;

    /** Starts the server with {@code root}; {@code name} names the clients' threads. */
    JpbClients(Root root, String name) {
        this.name = name;
        server = PbServer.builder().root(root).bind("127.0.0.1", 0).build().start();
        group = Transport.newEventLoopGroup(SHARED_THREADS, name + "-client-io");
        executor = Executors.newFixedThreadPool(SHARED_THREADS,
                new DefaultThreadFactory(name + "-client", true));
    }

    /**
     * Connects {@code n} clients, each built with {@code options}, and runs {@code attach} on
     * each one's root (subscribe, take a copy...); returns what each attach yielded. On a
     * failure everything is closed.
     *
     * @throws Exception if a client fails to connect or attach within 60 s
     */
    <T> List<T> connect(int n, UnaryOperator<PbClient.Builder> options,
            Function<RemoteReference, CompletableFuture<T>> attach) throws Exception {
        ExecutorService connectors = Executors.newFixedThreadPool(CONNECTORS,
                new DefaultThreadFactory(name + "-connect", true));
        try {
            List<CompletableFuture<T>> attached = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                attached.add(CompletableFuture.supplyAsync(() -> connect(options), connectors)
                        .thenCompose(PbClient::getRootObject)
                        .thenCompose(attach));
            }
            List<T> results = new ArrayList<>(n);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (CompletableFuture<T> f : attached) {
                results.add(f.get(Math.max(0, deadline - System.nanoTime()),
                        TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (Exception e) {
            close();
            throw e;
        } finally {
            connectors.shutdown();
        }
    }

    private PbClient connect(UnaryOperator<PbClient.Builder> options) {
        PbClient client = options.apply(PbClient.builder().eventLoopGroup(group)
                .executor(executor)).connect("127.0.0.1", server.port());
        clients.add(client);
        return client;
    }

    /** Closes the clients, their shared threads and the server. */
    @Override
    public void close() {
        clients.parallelStream().forEach(PbClient::close);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        executor.shutdown();
        server.close();
    }
}
