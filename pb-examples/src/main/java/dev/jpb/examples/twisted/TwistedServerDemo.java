package dev.jpb.examples.twisted;

import dev.jpb.RemoteReference;
import dev.jpb.Root;
import dev.jpb.twisted.TwistedPbServer;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.util.List;

/**
 * A jpb server with a Python client: serves {@link Calculator} over Twisted PB's wire, starts
 * {@code calc_client.py} (a Twisted {@code PBClientFactory}), prints what it says, exits.
 * Run: {@code mvn -B -q -pl pb-examples exec:java
 * -Dexample.main=dev.jpb.examples.twisted.TwistedServerDemo}.
 */
public final class TwistedServerDemo {
    private TwistedServerDemo() {
    }

    /** The root the Python client calls. */
    public static final class Calculator extends Root {
        /** Adds two ints. */
        public int remote_add(int a, int b) {
            return a + b;
        }

        /** Sums a list, telling the caller's watcher how far it got. */
        public long remote_sum(List<Integer> values, RemoteReference watcher) {
            long total = 0;
            for (int i = 0; i < values.size(); i++) {
                total += values.get(i);
                watcher.callRemoteOnly("progress", 100 * (i + 1) / values.size());
            }
            return total;
        }

        /** Divides; dividing by zero reaches Python as a RemoteError. */
        public int remote_divide(int a, int b) {
            return a / b;
        }
    }

    /** Runs the example, printing to standard output. */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /** Runs the example, printing what the Python client says to {@code out}. */
    public static void run(PrintStream out) throws Exception {
        try (TwistedPbServer server = TwistedPbServer.builder().root(new Calculator())
                .bind("127.0.0.1", 0).build().start()) {
            out.println("jpb serves Twisted PB on port " + server.port());
            Process python = Python.start("calc_client.py", String.valueOf(server.port()));
            try (BufferedReader lines = Python.output(python)) {
                String line;
                while ((line = lines.readLine()) != null) {
                    out.println(line);
                }
                out.println("python exited with " + python.waitFor());
            } finally {
                python.destroyForcibly();
            }
        }
    }
}
