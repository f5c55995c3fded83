package dev.jpb.internal.thin;

import java.lang.management.ManagementFactory;

/**
 * The thin client's step marks, on with {@code -Djpb.thin.timing=true} (the jar's timing
 * report): one line per step of a pushed window's way to the screen (the open call decoded,
 * the document loaded, the window shown, ...), each with the JVM's uptime, the CPU time the
 * process used and the thread, so a cold start can be taken apart from outside. Lines start
 * with {@code jpb-thin: timing: step}. Off, {@link #mark} costs a read of a constant.
 */
public final class StepTiming {
    /** Whether the marks are on in this JVM (the jar's {@code jpb.thin.timing}). */
    public static final boolean ON = Boolean.getBoolean("jpb.thin.timing");

    private StepTiming() {
    }

    /** Prints that {@code step} was reached, if the marks are on (any thread). */
    public static void mark(String step) {
        if (ON) {
            System.err.println("jpb-thin: timing: step " + step + " "
                    + uptimeMillis() + " ms after start, "
                    + cpuMillis() + " ms of CPU, on " + Thread.currentThread().getName());
        }
    }

    /** Milliseconds since this JVM started. */
    public static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    /** CPU milliseconds this process has used (all threads), or -1 if the JVM cannot say. */
    public static long cpuMillis() {
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long nanos = os.getProcessCpuTime();
            return nanos < 0 ? -1 : nanos / 1_000_000;
        }
        return -1;
    }
}
