package dev.jpb.examples.runsheet;

import dev.jpb.RemoteReference;
import dev.jpb.cache.CachedMap;
import dev.jpb.cache.StepView;
import dev.jpb.client.PbClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One person at the bench: watches the run sheet, writes on it, and acknowledges each step the
 * server announces. No protocol code: the sheet is a {@link CachedMap}, the steps a
 * {@link StepView}.
 *
 * <pre>
 * mvn -B -q -pl pb-examples exec:java -Dexample.main=dev.jpb.examples.runsheet.RunSheetClient \
 *     -Dexec.args="alice 8792"
 * </pre>
 */
public final class RunSheetClient implements AutoCloseable {
    private final String name;
    private final PbClient client;
    private final RemoteReference root;
    private final CachedMap<String, String> sheet;
    private final StepView steps;

    private RunSheetClient(String name, PbClient client, Consumer<String> out) throws Exception {
        this.name = name;
        this.client = client;
        this.root = client.getRootObject().get(10, TimeUnit.SECONDS);
        this.sheet = root.<CachedMap<String, String>>callRemote("sheet").get(10, TimeUnit.SECONDS);
        this.steps = root.<StepView>callRemote("steps").get(10, TimeUnit.SECONDS);
        steps.join(name).get(10, TimeUnit.SECONDS);
        sheet.addListener(change -> {
            out.accept(name + " sees " + change.key() + " = " + change.newValue());
            synchronized (this) {
                notifyAll();
            }
        });
        steps.addChangeListener((copy, update, version) -> {
            out.accept(name + " is at step " + steps.step() + ": " + steps.label());
            steps.acknowledge(); // done at once: a real bench would ask the person first
        });
    }

    /** Connects to the run sheet server and follows it; {@code out} hears what happens. */
    public static RunSheetClient join(String host, int port, String name, Consumer<String> out)
            throws Exception {
        return new RunSheetClient(name, PbClient.connect(host, port), out);
    }

    /** Writes on the sheet (through the server, so every copy sees it). */
    public void note(String item, String value) throws Exception {
        root.callRemote("note", item, value).get(10, TimeUnit.SECONDS);
    }

    /** Returns the sheet as this client sees it now. */
    public Map<String, String> sheet() {
        return sheet.snapshot();
    }

    /** Returns the sheet's version as this client has seen it. */
    public long sheetVersion() {
        return sheet.version();
    }

    /** Returns the step this client is at. */
    public int step() {
        return steps.step();
    }

    /**
     * Waits until this client has seen version {@code version} of the sheet.
     *
     * @return whether it did within {@code timeout}
     */
    public synchronized boolean awaitSheetVersion(long version, Duration timeout)
            throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (sheet.version() < version) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    /** Returns this client's name. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        client.close();
    }

    /** Runs one client until its standard input ends; {@code args}: name [port]. */
    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "alice";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : RunSheetServer.PORT;
        try (RunSheetClient c = join("127.0.0.1", port, name, System.out::println)) {
            System.out.println(name + " sees the sheet " + c.sheet()
                    + "; type item=value lines to write on it");
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    c.note(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
                }
            }
        }
    }
}
