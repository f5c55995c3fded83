package dev.jpb.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Hears the leaks Netty's {@link ResourceLeakDetector} finds among {@link ByteBuf}s.
 *
 * <p>Netty finds a leak when a tracked buffer that was never released is garbage collected:
 * its tracker is then queued, and the detector reports the queue the next time it tracks a
 * buffer. {@link #collect()} makes that happen now: it asks for a garbage collection, waits
 * for the collector to have processed a reference of its own, and makes the detector track
 * (and untrack) a probe, which reports what was queued to the listener installed here.
 */
final class BufferLeaks {
    private static final int GC_ROUNDS = 2;
    private static final long GC_WAIT_MILLIS = 2_000;

    private static final Queue<String> found = new ConcurrentLinkedQueue<>();
    private static ResourceLeakDetector<ByteBuf> detector; // guarded by BufferLeaks.class

    private BufferLeaks() {
    }

    /**
     * Hooks the buffer leak detector and raises Netty's detection level to {@code PARANOID}
     * (every buffer tracked) for the rest of the JVM. Idempotent.
     */
    static synchronized void install() {
        if (detector != null) {
            return;
        }
        if (ResourceLeakDetector.getLevel().ordinal()
                < ResourceLeakDetector.Level.PARANOID.ordinal()) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }
        ResourceLeakDetector<ByteBuf> d = byteBufDetector();
        d.setLeakListener((type, records) -> found.add(type + " leaked" + records));
        detector = d;
    }

    /**
     * Returns the leaks found since the last call, after making Netty look for them twice (a
     * leaked buffer may only become garbage once what held it was collected).
     */
    static List<String> collect() {
        return collect(GC_ROUNDS);
    }

    /** Returns the leaks found since the last call, after {@code rounds} collections. */
    static List<String> collect(int rounds) {
        ResourceLeakDetector<ByteBuf> d;
        synchronized (BufferLeaks.class) {
            d = detector;
        }
        if (d != null) {
            for (int round = 0; round < rounds; round++) {
                collectGarbage();
                ResourceLeakTracker<ByteBuf> probe = d.trackForcibly(Unpooled.EMPTY_BUFFER);
                probe.close(Unpooled.EMPTY_BUFFER);
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = found.poll()) != null; ) {
            leaks.add(leak);
        }
        return leaks;
    }

    /** Collects garbage and waits until references cleared by it have been queued. */
    static void collectGarbage() {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        try {
            queue.remove(GC_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Reference.reachabilityFence(sentinel);
    }

    @SuppressWarnings("unchecked")
    private static ResourceLeakDetector<ByteBuf> byteBufDetector() {
        // The one detector every allocator reports buffers to; Netty offers no getter.
        try {
            Field field = Class.forName("io.netty.buffer.AbstractByteBuf")
                    .getDeclaredField("leakDetector");
            field.setAccessible(true);
            return (ResourceLeakDetector<ByteBuf>) field.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExtensionConfigurationException("cannot hook Netty's ByteBuf leak detector"
                    + " (io.netty.buffer.AbstractByteBuf.leakDetector) in this Netty version; turn"
                    + " the check off with PbServerExtension.builder().checkBufferLeaks(false)", e);
        }
    }
}
