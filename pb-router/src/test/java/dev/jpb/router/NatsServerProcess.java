package dev.jpb.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code nats-server} (Debian's package) on 127.0.0.1 and a free port, started and
 * stopped by a test. Without the binary the test is skipped on a developer's machine and FAILS
 * under {@code CI=true}, where {@code .ci/run} installs it.
 */
final class NatsServerProcess implements AutoCloseable {
    private final String exe;
    private final int port;
    private final Path log;
    private Process process; // guarded by this

    private NatsServerProcess(String exe, int port) throws IOException {
        this.exe = exe;
        this.port = port;
        this.log = Files.createTempFile("nats-server-" + port, ".log");
    }

    /** Starts a server on a free port. */
    static NatsServerProcess start() throws Exception {
        String exe = find();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NatsServerProcess n = new NatsServerProcess(exe, port);
        n.startProcess();
        return n;
    }

    private static String find() {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/bin")
                .split(":")) {
            File f = new File(dir, "nats-server");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        String why = "nats-server is not installed (Debian: apt-get install nats-server)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(why + "; .ci/run must install it");
        }
        Assumptions.abort(why);
        return null;
    }

    /** {@return the server's URL} */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    private synchronized void startProcess() throws Exception {
        process = new ProcessBuilder(exe, "-a", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                        log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(process.isAlive()).as("nats-server runs; its log:%n%s",
                        Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("nats-server listens on %d within 20 s", port)
                        .isLessThan(deadline);
                process.waitFor(20, TimeUnit.MILLISECONDS); // a pause while it binds
            }
        }
    }

    /** Kills the server (SIGKILL) and starts a new one on the same port. */
    synchronized void restart() throws Exception {
        stopProcess();
        startProcess();
    }

    /** Kills the server without starting another. */
    synchronized void stopProcess() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("nats-server stopped").isTrue();
    }

    @Override
    public synchronized void close() throws Exception {
        if (process.isAlive()) {
            stopProcess();
        }
        Files.deleteIfExists(log);
    }
}
