package dev.jpb.internal.metrics;

/** One connection's {@link ConnectionMetrics} in a Micrometer registry. Thread-safe. */
final class MicrometerConnection implements ConnectionMetrics {
    private final MicrometerMetrics end;
    private final MicrometerMetrics.Live live;

    MicrometerConnection(MicrometerMetrics end, MicrometerMetrics.Live live) {
        this.end = end;
        this.live = live;
    }

    @Override
    public MeteredCall callStarted(String method, boolean answered) {
        return end.in.of(method).start(answered);
    }

    @Override
    public MeteredCall callStarted(String method, boolean answered, ReadTime read) {
        return end.in.of(method).start(answered ? read.now() : 0);
    }

    @Override
    public MeteredCall callSent(String method) {
        return end.out.of(method).start(true);
    }

    @Override
    public void oneWaySent(String method) {
        end.out.of(method).sentOneWay();
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
}
