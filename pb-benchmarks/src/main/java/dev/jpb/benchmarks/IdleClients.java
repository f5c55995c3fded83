package dev.jpb.benchmarks;

import dev.jpb.client.PbClient;
import dev.jpb.internal.transport.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * W7's clients, in a process of their own: {@code count} idle jpb clients of one server.
 * One process cannot hold 10,000 client sockets and the server's 10,000 as well (the fd limit
 * here is 20,000), so the benchmark JVM keeps the server and starts this class's {@link #main}
 * in a child JVM on the same class path.
 *
 * <p>The child's clients share one event loop group of {@value #IO_THREADS} threads and one
 * executor of as many, and connect {@value #CONNECTORS} at a time by default (a connect blocks
 * until the handshake is done). It speaks a line protocol: on standard output it prints
 * {@code READY}, then for each {@code connect} line on its standard input
 * {@code CONNECTED <n> in <ms> ms} (or {@code FAILED ...}), for each {@code disconnect} line
 * {@code DISCONNECTED}; it exits on {@code exit} or when its standard input ends (the parent
 * died). Diagnostics go to standard error, which the parent shares.
 */
final class IdleClients implements AutoCloseable {
    static final int IO_THREADS = 2;
    static final int CONNECTORS = 16;
    private static final String EOF = "<end of the child's output>";

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final int count;

    private IdleClients(Process process, int count) {
        this.process = process;
        this.count = count;
        this.commands = process.outputWriter(StandardCharsets.UTF_8);
        Thread reader = new Thread(this::pumpOutput, "w7-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a child JVM that will connect {@code count} clients to {@code 127.0.0.1:port};
     * returns once it is ready.
     *
     * @throws IOException if the child cannot be started or is not ready within 60 s
     */
    static IdleClients start(int port, int count) throws IOException, InterruptedException {
        return start(port, count, CONNECTORS);
    }

    /** As {@link #start(int, int)}, with {@code connectors} connects at a time. */
    static IdleClients start(int port, int count, int connectors)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                IdleClients.class.getName(), "127.0.0.1", Integer.toString(port),
                Integer.toString(count), Integer.toString(connectors))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        IdleClients clients = new IdleClients(process, count);
        try {
            clients.expect("READY", Duration.ofSeconds(60));
        } catch (IOException | RuntimeException | InterruptedException e) {
            clients.close();
            throw e;
        }
        return clients;
    }

    /**
     * Has the child connect all its clients; returns the milliseconds it reports.
     *
     * @throws IOException if a client failed to connect, or the child did not answer in time
     */
    long connectAll() throws IOException, InterruptedException {
        send("connect");
        String line = expect("CONNECTED", Duration.ofSeconds(300));
        // "CONNECTED <n> in <ms> ms"
        String[] words = line.split(" ");
        if (Integer.parseInt(words[1]) != count) {
            throw new IOException("child: " + line + " (expected " + count + ")");
        }
        return Long.parseLong(words[3]);
    }

    /**
     * Has the child close all its clients.
     *
     * @throws IOException if the child did not answer in time
     */
    void disconnectAll() throws IOException, InterruptedException {
        send("disconnect");
        expect("DISCONNECTED", Duration.ofSeconds(300));
    }

    /** Returns whether the child process is still running. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Tells the child to exit and waits for it (10 s, then kills it). */
    @Override
    public void close() {
        try {
            send("exit");
            commands.close();
        } catch (IOException e) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void send(String command) throws IOException {
        commands.write(command + "\n");
        commands.flush();
    }

    private String expect(String keyword, Duration timeout)
            throws IOException, InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new IOException("child: no " + keyword + " within " + timeout);
        }
        if (!line.startsWith(keyword)) {
            throw new IOException("child: " + line + " (expected " + keyword + ")");
        }
        return line;
    }

    private void pumpOutput() {
        try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // the child died: the parent learns it from EOF below
        }
        lines.add(EOF);
    }

    // ---- the child

    /**
     * The child: {@code IdleClients <host> <port> <count> <connectors>}, then the line protocol
     * above.
     */
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int parallel = Integer.parseInt(args[3]);
        PrintStream out = System.out;
        EventLoopGroup group = Transport.newEventLoopGroup(IO_THREADS, "w7-client-io");
        ExecutorService executor = Executors.newFixedThreadPool(IO_THREADS,
                new DefaultThreadFactory("w7-client", true));
        ExecutorService connectors = Executors.newFixedThreadPool(parallel,
                new DefaultThreadFactory("w7-connect", true));
        List<PbClient> clients = new ArrayList<>(count);
        BufferedReader in = new BufferedReader(
                new InputStreamReader(System.in, StandardCharsets.UTF_8));
        out.println("READY");
        out.flush();
        String command;
        while ((command = in.readLine()) != null && !command.equals("exit")) {
            switch (command) {
                case "connect" -> out.println(connect(host, port, count, group, executor,
                        connectors, clients));
                case "disconnect" -> {
                    disconnect(clients, connectors);
                    out.println("DISCONNECTED");
                }
                default -> out.println("FAILED unknown command " + command);
            }
            out.flush();
        }
        // Exit without closing the clients one by one: the sockets close with the process.
        System.exit(0);
    }

    private static String connect(String host, int port, int count, EventLoopGroup group,
            ExecutorService executor, ExecutorService connectors, List<PbClient> clients)
            throws InterruptedException {
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        long start = System.nanoTime();
        List<CompletableFuture<PbClient>> connects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            connects.add(CompletableFuture.supplyAsync(() -> PbClient.builder()
                    .eventLoopGroup(group).executor(executor).connect(host, port), connectors));
        }
        int failed = 0;
        for (CompletableFuture<PbClient> f : connects) {
            try {
                clients.add(f.get(120, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                failed++;
                firstError.compareAndSet(null, e.getCause() != null ? e.getCause() : e);
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (failed > 0) {
            firstError.get().printStackTrace();
            return "FAILED " + failed + " of " + count + " in " + millis + " ms: "
                    + firstError.get();
        }
        return "CONNECTED " + count + " in " + millis + " ms";
    }

    private static void disconnect(List<PbClient> clients, ExecutorService connectors)
            throws InterruptedException {
        List<CompletableFuture<Void>> closing = new ArrayList<>(clients.size());
        for (PbClient c : clients) {
            closing.add(CompletableFuture.runAsync(c::close, connectors));
        }
        for (CompletableFuture<Void> f : closing) {
            f.join();
        }
        clients.clear();
    }
}
