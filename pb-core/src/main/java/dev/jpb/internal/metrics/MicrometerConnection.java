package dev.jpb.internal.metrics;

import dev.jpb.NoSuchObjectException;
import dev.jpb.NoSuchRemoteMethodException;
import dev.jpb.internal.metrics.MethodNames.Meters;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One connection's {@link ConnectionMetrics} in a Micrometer registry. Thread-safe. */
final class MicrometerConnection implements ConnectionMetrics {
    private final MicrometerMetrics end;
    private final MicrometerMetrics.Live live;
    // The peer's calls that want an answer, by request id, until answered.
    private final Map<Long, Started> started = new ConcurrentHashMap<>();

    MicrometerConnection(MicrometerMetrics end, MicrometerMetrics.Live live) {
        this.end = end;
        this.live = live;
    }

    @Override
    public void callStarted(long requestId, String method) {
        Meters m = end.in.of(method);
        m.started.increment();
        end.in.inFlight.incrementAndGet();
        if (requestId != 0) {
            started.put(requestId, new Started(m, System.nanoTime()));
        }
    }

    @Override
    public void callFinished(long requestId, String method, Throwable error) {
        if (requestId == 0) {
            boolean unknown = error instanceof NoSuchRemoteMethodException
                    || error instanceof NoSuchObjectException;
            count(end.in, end.in.of(unknown ? null : method), 0, error);
            return;
        }
        Started s = started.remove(requestId);
        if (s != null) { // null: a ROOT, which is not counted as a call
            count(end.in, s.meters, s.nanos, error);
        }
    }

    @Override
    public void callSent(String method, CompletableFuture<?> answer) {
        Meters m = end.out.of(method);
        m.started.increment();
        end.out.inFlight.incrementAndGet();
        if (answer == null) {
            count(end.out, m, 0, null);
            return;
        }
        long nanos = System.nanoTime();
        answer.whenComplete((v, t) -> count(end.out, m, nanos, t));
    }

    private static void count(MethodNames names, Meters m, long startNanos, Throwable error) {
        names.inFlight.decrementAndGet();
        (error == null ? m.completed : m.failed).increment();
        if (startNanos != 0) {
            (error == null ? m.succeeded : m.failedTimer)
                    .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void loginStarted(String mechanism) {
        end.login("jpb.logins.started", mechanism, null);
    }

    @Override
    public void loginSucceeded(String mechanism) {
        end.login("jpb.logins.succeeded", mechanism, null);
    }

    @Override
    public void loginFailed(String mechanism, String reason) {
        end.login("jpb.logins.failed", mechanism, reason);
    }

    @Override
    public void cacheUpdateSent() {
        end.updatesSent.increment();
    }

    @Override
    public void cacheUpdateReceived() {
        end.updatesReceived.increment();
    }

    @Override
    public void violation(String reason) {
        end.violation(reason);
    }

    @Override
    public void closed() {
        // Calls of the peer still running are answered into the void: their ends still come.
        end.closed(live);
    }

    private record Started(Meters meters, long nanos) {
    }
}
