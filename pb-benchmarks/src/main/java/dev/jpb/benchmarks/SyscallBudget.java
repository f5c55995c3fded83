package dev.jpb.benchmarks;

import java.util.concurrent.TimeUnit;

/**
 * The system calls one W1 call costs: runs {@code CALLS} sequential {@code add(20, 22)} calls
 * (after a fixed warm-up) over jpb, the floor or Java RMI, client and server in this JVM, for
 * {@code perf stat} to count. {@code syscall-budget.sh} runs it twice, with {@code N} and
 * {@code 2N} calls, and divides the difference by {@code N}, so what the JVM's start, the
 * warm-up and the shutdown cost cancels out.
 *
 * <p>{@code java -cp pb-benchmarks/target/benchmarks.jar dev.jpb.benchmarks.SyscallBudget
 * jpb|floor|rmi CALLS}
 */
public final class SyscallBudget {
    private static final int WARM_UP_CALLS = 50_000;

    private SyscallBudget() {
    }

    /**
     * Runs the calls.
     *
     * @param args the peer ({@code jpb}, {@code floor} or {@code rmi}) and the number of calls
     * @throws Exception if a call fails or returns a wrong sum
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SyscallBudget jpb|floor|rmi CALLS");
            System.exit(2);
        }
        int calls = Integer.parseInt(args[1]);
        switch (args[0]) {
            case "jpb" -> {
                JpbState jpb = new JpbState();
                jpb.start();
                try {
                    run(() -> jpb.root.<Integer>callRemote("add", 20, 22)
                            .get(10, TimeUnit.SECONDS), calls);
                } finally {
                    jpb.stop();
                }
            }
            case "floor" -> {
                FloorState floor = new FloorState();
                floor.start();
                try {
                    run(() -> floor.client.add(20, 22).get(10, TimeUnit.SECONDS), calls);
                } finally {
                    floor.stop();
                }
            }
            case "rmi" -> {
                RmiState rmi = new RmiState();
                rmi.start();
                try {
                    run(() -> rmi.bench.add(20, 22), calls);
                } finally {
                    rmi.stop();
                }
            }
            default -> {
                System.err.println("unknown peer " + args[0] + " (expected jpb, floor or rmi)");
                System.exit(2);
            }
        }
    }

    private static void run(Call call, int calls) throws Exception {
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            check(call.add());
        }
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            check(call.add());
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        System.out.println("CALLS " + calls + " MICROS " + micros);
    }

    private static void check(int sum) {
        if (sum != 42) {
            throw new IllegalStateException("add(20, 22) returned " + sum);
        }
    }

    /** One sequential call. */
    private interface Call {
        int add() throws Exception;
    }
}
