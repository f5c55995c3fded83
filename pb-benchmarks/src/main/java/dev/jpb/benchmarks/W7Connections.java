package dev.jpb.benchmarks;

import dev.jpb.server.PbServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * W7: many idle connections on one server. The server runs here, with default settings; the
 * {@link #connections} clients run in a child JVM ({@link IdleClients}). One operation (JMH
 * single-shot) has the child connect them all and ends when the server holds all of them past
 * the handshake: the score is the time to connect them all. After each operation the heap the
 * server's JVM retains is measured after full GCs and compared with the same measurement before
 * it; the difference goes out as two JMH secondary metrics, {@code retainedHeapBytes} and
 * {@code heldConnections} (their ratio is the retained heap per connection), and the child then
 * disconnects them all before the next operation.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class W7Connections {
    /** The number of clients; 10,000 in the full run. */
    @Param("10000")
    int connections;

    /** Server heap retained by the operation's connections, in bytes (a secondary metric). */
    public long retainedHeapBytes;
    /** Connections the server held when the heap was measured (a secondary metric). */
    public long heldConnections;

    PbServer server;
    IdleClients clients;
    private long heapBefore;

    /** Starts the server and the child JVM of clients. */
    @Setup(Level.Trial)
    public void start() throws Exception {
        server = PbServer.builder().root(new AddRoot()).bind("127.0.0.1", 0).build().start();
        clients = IdleClients.start(server.port(), connections);
    }

    /** Measures the heap with no connections. */
    @Setup(Level.Iteration)
    public void measureBefore() {
        retainedHeapBytes = 0;
        heldConnections = 0;
        heapBefore = usedHeapAfterGc();
    }

    /** Connects all the clients; returns when the server holds them all. */
    @Benchmark
    public void connectAll() throws Exception {
        clients.connectAll();
        awaitServerConnections(connections);
    }

    /** Measures the heap with the connections, then disconnects them. */
    @TearDown(Level.Iteration)
    public void measureAfter() throws Exception {
        long after = usedHeapAfterGc();
        heldConnections = server.connectionCount();
        if (heldConnections != connections) {
            throw new IllegalStateException("the server holds " + heldConnections
                    + " connections, expected " + connections);
        }
        retainedHeapBytes = after - heapBefore;
        clients.disconnectAll();
        awaitServerConnections(0);
    }

    /** Stops the child JVM and the server. */
    @TearDown(Level.Trial)
    public void stop() {
        if (clients != null) {
            clients.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void awaitServerConnections(int n) throws TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.connectionCount() != n) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the server holds " + server.connectionCount()
                        + " connections after 60 s, expected " + n);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // no event to wait on
        }
    }

    /**
     * Returns the heap in use after full GCs, repeated until it stops shrinking (a GC can free
     * what the previous one only made unreachable, e.g. through a Cleaner).
     */
    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            boolean settled = now > used - used / 200;
            used = Math.min(used, now);
            if (settled) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // let Cleaners run
        }
        return used;
    }
}
