package dev.jpb.twisted;

import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Python 3 child process running one of the scripts in {@code src/test/resources/python},
 * with Debian's Twisted. Its standard output is read line by line on a thread of its own;
 * {@link #close()} kills it.
 */
public final class PythonPeer implements AutoCloseable {
    private static volatile String interpreter;

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder stderr = new StringBuilder();

    private PythonPeer(Process process) {
        this.process = process;
        Thread out = new Thread(() -> pump(process.getInputStream(), true), "python-stdout");
        out.setDaemon(true);
        out.start();
        Thread err = new Thread(() -> pump(process.getErrorStream(), false), "python-stderr");
        err.setDaemon(true);
        err.start();
    }

    /**
     * Returns a python3 that imports twisted: {@code -Djpb.python=...}, else the first of
     * {@code /usr/bin/python3} and {@code python3} that does. Fails (never skips) if none does:
     * CI installs Debian's python3-twisted.
     */
    public static String interpreter() {
        String found = interpreter;
        if (found != null) {
            return found;
        }
        List<String> candidates = new ArrayList<>();
        String configured = System.getProperty("jpb.python");
        if (configured != null) {
            candidates.add(configured);
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String candidate : candidates) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import twisted")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, SECONDS) && p.exitValue() == 0) {
                    interpreter = candidate;
                    return candidate;
                }
            } catch (IOException e) {
                // not there; try the next
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no python3 with Twisted found (tried " + candidates
                + "); install Debian's python3-twisted (.ci/run does) or pass -Djpb.python=");
    }

    /** Returns the path of a script in the test resources. */
    public static Path script(String name) {
        try {
            return Path.of(PythonPeer.class.getResource("/python/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource python/" + name + " missing", e);
        }
    }

    /**
     * Starts {@code python3 script args...}.
     *
     * @param scriptName a file in src/test/resources/python
     * @param args       its arguments
     */
    public static PythonPeer start(String scriptName, String... args) {
        List<String> command = new ArrayList<>();
        command.add(interpreter());
        command.add("-u");
        command.add(script(scriptName).toString());
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
            builder.directory(script(scriptName).getParent().toFile());
            return new PythonPeer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void pump(java.io.InputStream stream, boolean toQueue) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (toQueue) {
                    lines.add(line);
                } else {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            // the process went away
        }
    }

    /**
     * Returns the next line the script printed, waiting up to {@code seconds}.
     *
     * @throws AssertionError if none came (with the script's standard error)
     */
    public String nextLine(long seconds) throws InterruptedException {
        String line = lines.poll(seconds, TimeUnit.SECONDS);
        if (line == null) {
            throw new AssertionError("python printed nothing within " + seconds + " s; alive="
                    + process.isAlive() + ", stderr:\n" + stderr());
        }
        return line;
    }

    /** Returns the next line, which must start with {@code prefix}, without the prefix. */
    public String expect(String prefix, long seconds) throws InterruptedException {
        String line = nextLine(seconds);
        if (!line.startsWith(prefix)) {
            throw new AssertionError("expected a line starting with '" + prefix + "', got '"
                    + line + "'; stderr:\n" + stderr());
        }
        return line.substring(prefix.length());
    }

    /** Reads the {@code PORT n} line a server script prints once it listens. */
    public int port() throws InterruptedException {
        return Integer.parseInt(expect("PORT ", 30).trim());
    }

    /** Waits for the process to exit and returns its exit code. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("python did not exit within " + seconds + " s; stderr:\n"
                    + stderr());
        }
        return process.exitValue();
    }

    /** Returns what the script wrote to standard error so far. */
    public String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    /** Writes a line to the script's standard input. */
    public void send(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
