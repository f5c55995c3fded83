package dev.jpb.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * W9 measured by CPU time rather than by wall-clock rate, which a machine shared with other
 * work distorts: for jpb's cache fan-out ({@link JpbCacheFanOut}, {@value #CLIENTS} copies), its
 * {@code @NonBlocking} form, the floor ({@link FloorFanOut}) and the floor whose clients
 * count on an executor, a warm-up, then the process's CPU time (server and clients, all in
 * this JVM) and its threads' context switches (from {@code /proc}, Linux only) over a number
 * of operations, divided by the updates delivered.
 * Prints {@code name round updates/s cpu-ns/update switches/update} lines. Usage: {@code java
 * -cp benchmarks.jar dev.jpb.benchmarks.W9Cpu [OPERATIONS [ROUNDS]]}.
 */
public final class W9Cpu {
    private static final int CLIENTS = W9CacheFanOut.CLIENTS;

    private W9Cpu() {
    }

    /** Measures the three sides in turn, round after round. */
    public static void main(String[] args) throws Exception {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        OperatingSystemMXBean os =
                (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (FanOut jpb = new JpbCacheFanOut(CLIENTS);
                FanOut quick = new JpbCacheFanOut(CLIENTS, true);
                FanOut floor = new FloorFanOut(CLIENTS);
                FanOut handOff = new FloorFanOut(CLIENTS, true)) {
            String[] names = {"jpb", "jpbNonBlocking", "floor", "floorHandOff"};
            FanOut[] sides = {jpb, quick, floor, handOff};
            for (FanOut side : sides) {
                run(side, operations); // warm-up
            }
            for (int r = 1; r <= rounds; r++) {
                for (int s = 0; s < sides.length; s++) {
                    long switches = contextSwitches();
                    long cpu = os.getProcessCpuTime();
                    long start = System.nanoTime();
                    run(sides[s], operations);
                    long wall = System.nanoTime() - start;
                    cpu = os.getProcessCpuTime() - cpu;
                    switches = contextSwitches() - switches;
                    double updates = (double) operations * CLIENTS;
                    System.out.printf("%-15s %d %,10.0f %8.0f %6.3f%n", names[s], r,
                            updates / (wall / 1e9), cpu / updates, switches / updates);
                }
            }
        }
    }

    private static void run(FanOut side, int operations) throws Exception {
        for (int i = 0; i < operations; i++) {
            side.deliverToAll();
        }
    }

    // Voluntary and involuntary context switches of this process's threads so far (-1 off Linux).
    private static long contextSwitches() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches:")) {
                            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return sum;
    }
}
