package dev.jpb.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The two-JVM mode: a benchmark state's server half ({@link ServerSide}) in a child JVM, as a
 * real deployment runs it, while the JMH fork is the client. On with
 * {@code -D}{@value #TWO_JVM}{@code =true} in the fork ({@code run.sh --two-jvm} passes it);
 * off by default, when both halves share the fork.
 *
 * <p>The child is the same {@code java} (this JVM's {@code java.home}) on the same class path,
 * default JVM flags, running {@link #main} with the state's class name: it makes a new
 * instance of the state, starts its server and prints {@code LISTENING <address>} (the
 * {@link ServerSide#startServer} line) on its standard output, then serves until its standard
 * input ends. {@link #close} (the state's {@code @TearDown}) closes that input and waits for
 * the child, killing it after {@value #EXIT_SECONDS} s; a shutdown hook kills it if the fork
 * exits without tearing down, and a child whose parent died sees its input end and exits
 * itself. So no server survives a failed run. The child's standard error is the fork's.
 */
final class ServerProcess implements AutoCloseable {
    /** The system property that turns the two-JVM mode on. */
    static final String TWO_JVM = "jpb.bench.twoJvm";
    private static final String LISTENING = "LISTENING ";
    private static final String EOF = "<end of the server's output>";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final int EXIT_SECONDS = 10;

    private final Process process;
    private final Thread killer;
    private final String address;

    private ServerProcess(Process process, Thread killer, String address) {
        this.process = process;
        this.killer = killer;
        this.address = address;
    }

    /** Returns whether this JVM runs its benchmarks' servers in child JVMs. */
    static boolean twoJvm() {
        return Boolean.getBoolean(TWO_JVM);
    }

    /**
     * Starts {@code state}'s server half in a child JVM; returns once it listens.
     *
     * @throws IOException if the child cannot start or does not listen within 60 s
     */
    static ServerProcess start(Class<? extends ServerSide> state)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Djava.rmi.server.hostname=127.0.0.1",
                "-cp", System.getProperty("java.class.path"), ServerProcess.class.getName(),
                state.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        Thread killer = new Thread(process::destroyForcibly, "kill-" + state.getSimpleName());
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            String line = awaitListening(process.getInputStream(), START_TIMEOUT);
            return new ServerProcess(process, killer, line.substring(LISTENING.length()));
        } catch (IOException | RuntimeException | InterruptedException e) {
            stop(process, killer);
            throw e;
        }
    }

    /** Returns the child's address line: the port, for RMI then the stub. */
    String address() {
        return address;
    }

    /** Returns the port, the first word of the address line. */
    int port() {
        return port(address);
    }

    /** Returns the port at the start of an address line. */
    static int port(String address) {
        int space = address.indexOf(' ');
        return Integer.parseInt(space < 0 ? address : address.substring(0, space));
    }

    /** Returns the child's process, to check it. */
    Process process() {
        return process;
    }

    /** Ends the child: closes its input, waits up to 10 s, then kills it. */
    @Override
    public void close() {
        stop(process, killer);
    }

    private static void stop(Process process, Thread killer) {
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // the child is gone already
        }
        try {
            if (!process.waitFor(EXIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(EXIT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, on a dead process
        }
    }

    /** Reads the child's output until its LISTENING line; other lines are echoed to stderr. */
    private static String awaitListening(InputStream output, Duration timeout)
            throws IOException, InterruptedException {
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(output, StandardCharsets.UTF_8))) {
                String line;
                boolean found = false;
                while ((line = in.readLine()) != null) {
                    if (!found && line.startsWith(LISTENING)) {
                        found = lines.offer(line);
                    } else {
                        System.err.println("[server] " + line);
                    }
                }
            } catch (IOException e) {
                // the child is gone; the end of output below says so
            }
            lines.offer(EOF);
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new IOException("server JVM: not listening after " + timeout);
        }
        if (line == EOF) {
            throw new IOException("server JVM exited before listening (its errors are above)");
        }
        return line;
    }

    /**
     * The child's entry point: {@code ServerProcess <state class>} starts that state's server,
     * prints {@code LISTENING <address>}, and serves until standard input ends.
     *
     * @param args the state's class name
     * @throws Exception if the server cannot start or stop
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ServerProcess <benchmark state class>");
            System.exit(2);
        }
        ServerSide side = (ServerSide) Class.forName(args[0]).getDeclaredConstructor()
                .newInstance();
        String address = side.startServer();
        System.out.println(LISTENING + address);
        System.out.flush();
        InputStream in = System.in;
        while (in.read() >= 0) {
            // nothing is sent; the input ends when the parent closes it or dies
        }
        side.stopServer();
        System.exit(0);
    }
}
